// k6 load tests of the AIA API (the deployment strategy: "Load Testing: 50 VU for 5
// minutes with K6"; "Stress Testing: 100 VU with gradual ramp-up").
//
//   k6 run -e BASE_URL=https://api.013a.tech -e PROFILE=load   infra/load/aia.js
//   k6 run -e BASE_URL=https://api.013a.tech -e PROFILE=stress infra/load/aia.js
//   nox -s load      (PROFILE=short against a local `aia serve`: infra/load/run_local.py)
//
// Env: BASE_URL (required), PROFILE (load|stress|short), PATHS (comma-separated GET
// paths, default /health,/openapi.json: the edge refuses /ready and /metrics, see
// docs/decisions/0017-public-surface.md), TOKEN (optional bearer token),
// SUMMARY (where to write the JSON summary, default load-summary.json).
import http from 'k6/http';
import { check } from 'k6';

const BASE_URL = (__ENV.BASE_URL || '').replace(/\/$/, '');
const PROFILE = __ENV.PROFILE || 'load';
const PATHS = (__ENV.PATHS || '/health,/openapi.json').split(',').filter((p) => p);
const HEADERS = __ENV.TOKEN ? { Authorization: `Bearer ${__ENV.TOKEN}` } : {};

const SCENARIOS = {
  // 50 virtual users for 5 minutes.
  load: { executor: 'constant-vus', vus: 50, duration: '5m' },
  // Gradual ramp to 100 virtual users, a plateau, then back down.
  stress: {
    executor: 'ramping-vus',
    startVUs: 0,
    stages: [
      { duration: '1m', target: 25 },
      { duration: '2m', target: 50 },
      { duration: '2m', target: 100 },
      { duration: '3m', target: 100 },
      { duration: '1m', target: 0 },
    ],
    gracefulRampDown: '30s',
  },
  // The short local run of `nox -s load`.
  short: { executor: 'constant-vus', vus: 10, duration: __ENV.DURATION || '20s' },
};

if (!BASE_URL) {
  throw new Error('set BASE_URL, e.g. -e BASE_URL=https://api.013a.tech');
}
if (!SCENARIOS[PROFILE]) {
  throw new Error(`PROFILE must be one of ${Object.keys(SCENARIOS).join(', ')}`);
}

export const options = {
  scenarios: { [PROFILE]: SCENARIOS[PROFILE] },
  // The strategy's targets: p95 under 500 ms, fewer than 1 % errors.
  thresholds: {
    http_req_duration: ['p(95)<500'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
  noConnectionReuse: false,
  userAgent: 'aia-k6/1.0',
};

export default function () {
  for (const path of PATHS) {
    const res = http.get(`${BASE_URL}${path}`, { headers: HEADERS, tags: { route: path } });
    check(res, { [`${path} answers 2xx`]: (r) => r.status >= 200 && r.status < 300 });
  }
}

export function handleSummary(data) {
  const m = data.metrics;
  const line = `k6 ${PROFILE}: ${m.http_reqs.values.count} requests, ` +
    `p95 ${m.http_req_duration.values['p(95)'].toFixed(1)} ms, ` +
    `errors ${(100 * m.http_req_failed.values.rate).toFixed(2)} %\n`;
  return {
    stdout: line,
    [__ENV.SUMMARY || 'load-summary.json']: JSON.stringify(data, null, 2),
  };
}
