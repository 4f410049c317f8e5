--
-- PostgreSQL database dump
--

\restrict FOjTLBNfeS8tah9y00EIAYNZo1yd98bapa3dW90gv8z4hZvCpuxnluROLSTk6JY

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: ledger_append_only(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ledger_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION 'the ledger journal is append-only (% on %)', TG_OP, TG_TABLE_NAME;
END $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: alembic_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);


--
-- Name: api_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_keys (
    id character varying(36) NOT NULL,
    user_id character varying(36) NOT NULL,
    name character varying(100) NOT NULL,
    prefix character varying(16) NOT NULL,
    key_hash character varying(64) NOT NULL,
    scopes character varying(100) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    last_used_at timestamp with time zone
);


--
-- Name: governance_delegations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.governance_delegations (
    id integer NOT NULL,
    delegator_id character varying(36) NOT NULL,
    delegatee_id character varying(36),
    at timestamp with time zone NOT NULL
);


--
-- Name: governance_delegations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.governance_delegations_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: governance_delegations_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.governance_delegations_id_seq OWNED BY public.governance_delegations.id;


--
-- Name: governance_milestones; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.governance_milestones (
    proposal_id integer NOT NULL,
    milestone character varying(30) NOT NULL,
    at timestamp with time zone NOT NULL
);


--
-- Name: governance_proposals; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.governance_proposals (
    id integer NOT NULL,
    proposer_id character varying(36) NOT NULL,
    idempotency_key character varying(200),
    title character varying(200) NOT NULL,
    description text NOT NULL,
    actions text NOT NULL,
    changes text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    snapshot_at timestamp with time zone NOT NULL,
    deadline_at timestamp with time zone NOT NULL,
    quorum_bps integer NOT NULL,
    quorum_mode character varying(10) NOT NULL,
    timelock_seconds integer NOT NULL,
    grace_seconds integer NOT NULL,
    outcome character varying(12),
    quorum bigint,
    queued_at timestamp with time zone,
    eta timestamp with time zone,
    executed_at timestamp with time zone,
    canceled_at timestamp with time zone,
    canceled_by character varying(100),
    settled boolean NOT NULL
);


--
-- Name: governance_proposals_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.governance_proposals_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: governance_proposals_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.governance_proposals_id_seq OWNED BY public.governance_proposals.id;


--
-- Name: governance_votes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.governance_votes (
    proposal_id integer NOT NULL,
    voter_id character varying(36) NOT NULL,
    support character varying(8) NOT NULL,
    power bigint NOT NULL,
    conviction integer NOT NULL,
    locked bigint NOT NULL,
    weight bigint NOT NULL,
    reason character varying(500) NOT NULL,
    cast_at timestamp with time zone NOT NULL,
    lock_owner character varying(100),
    lock_state character varying(10) NOT NULL,
    release_at timestamp with time zone,
    locked_at timestamp with time zone,
    released_at timestamp with time zone
);


--
-- Name: ledger_accounts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ledger_accounts (
    id character varying(120) NOT NULL,
    owner character varying(100) NOT NULL,
    token character varying(10) NOT NULL,
    balance bigint NOT NULL,
    frozen boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_ledger_accounts_not_negative CHECK (((balance >= 0) OR ((owner)::text = 'issuance'::text)))
);


--
-- Name: ledger_audit; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ledger_audit (
    id integer NOT NULL,
    at timestamp with time zone NOT NULL,
    actor character varying(100) NOT NULL,
    action character varying(40) NOT NULL,
    subject character varying(120) NOT NULL,
    details text NOT NULL
);


--
-- Name: ledger_audit_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.ledger_audit_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ledger_audit_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.ledger_audit_id_seq OWNED BY public.ledger_audit.id;


--
-- Name: ledger_entries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ledger_entries (
    id character varying(36) NOT NULL,
    idempotency_key character varying(255) NOT NULL,
    kind character varying(40) NOT NULL,
    actor character varying(100) NOT NULL,
    memo character varying(500) NOT NULL,
    request_hash character varying(64) NOT NULL,
    details text NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: ledger_lines; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ledger_lines (
    id integer NOT NULL,
    entry_id character varying(36) NOT NULL,
    account_id character varying(120) NOT NULL,
    amount bigint NOT NULL,
    balance_after bigint NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: ledger_lines_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.ledger_lines_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ledger_lines_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.ledger_lines_id_seq OWNED BY public.ledger_lines.id;


--
-- Name: ledger_supply; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ledger_supply (
    token character varying(10) NOT NULL,
    minted bigint NOT NULL,
    burned bigint NOT NULL
);


--
-- Name: outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outbox (
    seq integer NOT NULL,
    event_id character varying(64) NOT NULL,
    data text NOT NULL,
    attributes text NOT NULL,
    ordering_key character varying(200),
    created_at timestamp with time zone NOT NULL,
    published_at timestamp with time zone
);


--
-- Name: outbox_seq_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.outbox_seq_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: outbox_seq_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.outbox_seq_seq OWNED BY public.outbox.seq;


--
-- Name: password_resets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.password_resets (
    token_hash character varying(64) NOT NULL,
    user_id character varying(36) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone
);


--
-- Name: refresh_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.refresh_tokens (
    token_hash character varying(64) NOT NULL,
    user_id character varying(36) NOT NULL,
    family_id character varying(32) NOT NULL,
    issued_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    revoked_at timestamp with time zone
);


--
-- Name: simulation_metrics; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.simulation_metrics (
    simulation_id character varying(64) NOT NULL,
    tick integer NOT NULL,
    gdp_nominal double precision NOT NULL,
    gdp_real double precision NOT NULL,
    gdp_growth double precision NOT NULL,
    labor_productivity double precision NOT NULL,
    unemployment_rate double precision NOT NULL,
    inflation double precision NOT NULL,
    policy_rate double precision NOT NULL,
    output_gap double precision NOT NULL,
    tax_revenue double precision NOT NULL,
    gini_income double precision NOT NULL,
    gini_wealth double precision NOT NULL,
    mean_health double precision NOT NULL,
    population bigint NOT NULL,
    aia_supply double precision NOT NULL,
    aia_velocity double precision NOT NULL,
    aia_gov_supply double precision NOT NULL,
    vacancy_rate double precision NOT NULL,
    participation_rate double precision NOT NULL,
    employment bigint NOT NULL,
    cpi double precision NOT NULL,
    average_wage double precision NOT NULL,
    consumption double precision NOT NULL,
    investment double precision NOT NULL,
    public_spending double precision NOT NULL,
    government_balance double precision NOT NULL,
    public_debt_ratio double precision NOT NULL,
    aia_price double precision NOT NULL,
    aia_minted double precision NOT NULL,
    aia_burned double precision NOT NULL,
    aia_gov_staked_share double precision NOT NULL,
    aia_gov_gini double precision NOT NULL,
    firms_hiring bigint NOT NULL,
    firm_exits bigint NOT NULL,
    firm_size_skewness double precision NOT NULL,
    sfc_error double precision NOT NULL,
    token_error double precision NOT NULL
);


--
-- Name: simulation_policy_changes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.simulation_policy_changes (
    event_id character varying(64) NOT NULL,
    simulation_id character varying(64) NOT NULL,
    tick integer NOT NULL,
    changes text NOT NULL,
    applied_at timestamp with time zone NOT NULL
);


--
-- Name: simulation_states; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.simulation_states (
    simulation_id character varying(64) NOT NULL,
    tick integer NOT NULL,
    horizon integer,
    params text NOT NULL,
    state bytea NOT NULL,
    last_event_id character varying(64),
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id character varying(36) NOT NULL,
    email character varying(320) NOT NULL,
    name character varying(200) NOT NULL,
    password_hash character varying(255) NOT NULL,
    roles character varying(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    disabled boolean NOT NULL
);


--
-- Name: governance_delegations id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.governance_delegations ALTER COLUMN id SET DEFAULT nextval('public.governance_delegations_id_seq'::regclass);


--
-- Name: governance_proposals id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.governance_proposals ALTER COLUMN id SET DEFAULT nextval('public.governance_proposals_id_seq'::regclass);


--
-- Name: ledger_audit id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ledger_audit ALTER COLUMN id SET DEFAULT nextval('public.ledger_audit_id_seq'::regclass);


--
-- Name: ledger_lines id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ledger_lines ALTER COLUMN id SET DEFAULT nextval('public.ledger_lines_id_seq'::regclass);


--
-- Name: outbox seq; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox ALTER COLUMN seq SET DEFAULT nextval('public.outbox_seq_seq'::regclass);


--
-- Data for Name: alembic_version; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.alembic_version VALUES ('0005_simulations');


--
-- Data for Name: api_keys; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.api_keys VALUES ('0148f1a2-320c-48e1-b274-11db232e94d7', '170ad345-f8ae-4148-a921-7cda86111493', 'scripts', 'e98961f3b852', '41d7da9205268e39ec14aa02122f3eb0462bd534a8032243ea454d8ad00e1494', 'read,write', '2026-01-01 00:00:00+00', NULL, NULL);


--
-- Data for Name: governance_delegations; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.governance_delegations VALUES (1, '170ad345-f8ae-4148-a921-7cda86111493', '170ad345-f8ae-4148-a921-7cda86111493', '2026-01-01 00:00:00+00');


--
-- Data for Name: governance_milestones; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: governance_proposals; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.governance_proposals VALUES (1, '170ad345-f8ae-4148-a921-7cda86111493', NULL, 'Lower the bottom tax rate', 'A fixture proposal of the first release.', '[{"type": "tax_brackets", "tax_brackets": [{"threshold": 0.0, "rate": 0.05}]}]', '{"fiscal": {"tax_brackets": [{"threshold": 0.0, "rate": 0.05}]}}', '2026-01-01 00:00:01+00', '2026-01-01 00:01:01+00', '2026-01-08 00:01:01+00', 1000, 'oz', 172800, 1209600, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false);


--
-- Data for Name: governance_votes; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.governance_votes VALUES (1, '170ad345-f8ae-4148-a921-7cda86111493', 'for', 5000000000, 1, 5000000000, 5500000000, '', '2026-01-01 00:01:02+00', 'locked:170ad345-f8ae-4148-a921-7cda86111493:1', 'held', '2026-01-15 00:01:01+00', '2026-01-01 00:01:02+00', NULL);


--
-- Data for Name: ledger_accounts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.ledger_accounts VALUES ('issuance:AIA', 'issuance', 'AIA', -99999999974500, false, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_accounts VALUES ('user:ae53f873-9240-4153-acd1-c8324fcdcf73:AIA', 'user:ae53f873-9240-4153-acd1-c8324fcdcf73', 'AIA', 125500000, false, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_accounts VALUES ('staked:170ad345-f8ae-4148-a921-7cda86111493:AIA', 'staked:170ad345-f8ae-4148-a921-7cda86111493', 'AIA', 100000000, false, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_accounts VALUES ('issuance:AIA_GOV', 'issuance', 'AIA_GOV', -10005000000000, false, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_accounts VALUES ('treasury:AIA_GOV', 'treasury', 'AIA_GOV', 10000000000000, false, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_accounts VALUES ('locked:170ad345-f8ae-4148-a921-7cda86111493:1:AIA_GOV', 'locked:170ad345-f8ae-4148-a921-7cda86111493:1', 'AIA_GOV', 5000000000, false, '2026-01-01 00:01:02+00');
INSERT INTO public.ledger_accounts VALUES ('user:170ad345-f8ae-4148-a921-7cda86111493:AIA_GOV', 'user:170ad345-f8ae-4148-a921-7cda86111493', 'AIA_GOV', 0, false, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_accounts VALUES ('treasury:AIA', 'treasury', 'AIA', 99998810000000, false, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_accounts VALUES ('user:170ad345-f8ae-4148-a921-7cda86111493:AIA', 'user:170ad345-f8ae-4148-a921-7cda86111493', 'AIA', 964474500, false, '2026-01-01 00:00:00+00');


--
-- Data for Name: ledger_audit; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.ledger_audit VALUES (1, '2026-01-01 00:00:00+00', 'admin:ae53f873-9240-4153-acd1-c8324fcdcf73', 'mint', 'user:170ad345-f8ae-4148-a921-7cda86111493', '{"token": "AIA_GOV", "amount": "5000.000000", "reason": "fixture", "entry_id": "1db77ec6-0486-46e2-9f28-e33d22f899dd"}');


--
-- Data for Name: ledger_entries; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.ledger_entries VALUES ('670ffef7-aab0-4f83-a97c-d89217d41a3e', 'genesis:AIA', 'mint', 'system:genesis', '', '69dcf17846e3500926f5f90c551672e3f2c8770e8bf9042c245b3f5be21cde44', '{}', '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_entries VALUES ('ffda18c2-ebc1-4c75-903f-6c5fd2d03f40', 'genesis:AIA_GOV', 'mint', 'system:genesis', '', '52f91d6fa68044d384115b9b867ae36249ca2dd97441146be749274791f8477d', '{}', '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_entries VALUES ('3c8267dd-cf86-47c1-83fd-687fecf7b40d', 'signup-grant:170ad345-f8ae-4148-a921-7cda86111493', 'signup_grant', 'system:signup', 'Welcome grant', '572c42f16dfd93d38264d0f7127448b96c648b59b357a9325d5f33234e2a4574', '{}', '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_entries VALUES ('3f515efd-00ef-4dea-bb8f-0d604ed802c5', 'signup-grant:ae53f873-9240-4153-acd1-c8324fcdcf73', 'signup_grant', 'system:signup', 'Welcome grant', 'b3c450e54e01adb89d356f26b97f5eb85b8dc7c74678efd45053406ae3d52d27', '{}', '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_entries VALUES ('8031551d-e0de-42d7-be1a-58db036cae9e', 'stripe-session:cs_release_1', 'purchase', 'stripe', 'Stripe cs_release_1', '34ebf0b5fd97467b48893814c414d967ccf3fae6bb70d00b26c45fdf2ee05836', '{}', '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_entries VALUES ('5530837d-f622-44c7-90d9-8bdaf4c9838b', 'transfer:170ad345-f8ae-4148-a921-7cda86111493:release-1-transfer', 'transfer', 'user:170ad345-f8ae-4148-a921-7cda86111493', '', '150bcc639a8a4c81747fea229076800b83aa51b722bfad84b1c01d8d57926fd6', '{"burn": 25500}', '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_entries VALUES ('f7cc64a2-1641-4eb2-8c49-17e970a13a36', 'stake:170ad345-f8ae-4148-a921-7cda86111493:release-1-stake', 'stake', 'user:170ad345-f8ae-4148-a921-7cda86111493', '', '5f21a68ea1bbdc25073cecaf4a965fd31a1636b78c300c5629a22783e2e96d92', '{}', '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_entries VALUES ('1db77ec6-0486-46e2-9f28-e33d22f899dd', 'admin:ae53f873-9240-4153-acd1-c8324fcdcf73:release-1-mint', 'mint', 'admin:ae53f873-9240-4153-acd1-c8324fcdcf73', '', '3044a68942469403cff92b4929946b3454bd1aac3a34b7ab50871a99a48b5c15', '{}', '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_entries VALUES ('67bb11fe-52c5-410b-8846-d1dbace8e7fc', 'governance-lock:1:170ad345-f8ae-4148-a921-7cda86111493', 'governance_lock', 'user:170ad345-f8ae-4148-a921-7cda86111493', 'conviction lock, proposal 1', '4eb71eaf2347c21cdc504ac8822d99eda2e959c4a6321c857a43796936cc77b1', '{}', '2026-01-01 00:01:02+00');
INSERT INTO public.ledger_entries VALUES ('91d10bc3-6025-4ddc-bd3f-8633efd80b91', 'charge:simulation:d4f7ff57-cc57-4f38-9a51-9a3dae7f88a6', 'charge', 'user:170ad345-f8ae-4148-a921-7cda86111493', 'simulation d4f7ff57-cc57-4f38-9a51-9a3dae7f88a6', 'c1abc10eb095b6d7fe56f95f62ade257c378b989bb72a0103b05371add441870', '{}', '2026-01-01 00:01:02+00');


--
-- Data for Name: ledger_lines; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.ledger_lines VALUES (1, '670ffef7-aab0-4f83-a97c-d89217d41a3e', 'issuance:AIA', -100000000000000, -100000000000000, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (2, '670ffef7-aab0-4f83-a97c-d89217d41a3e', 'treasury:AIA', 100000000000000, 100000000000000, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (3, 'ffda18c2-ebc1-4c75-903f-6c5fd2d03f40', 'issuance:AIA_GOV', -10000000000000, -10000000000000, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (4, 'ffda18c2-ebc1-4c75-903f-6c5fd2d03f40', 'treasury:AIA_GOV', 10000000000000, 10000000000000, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (5, '3c8267dd-cf86-47c1-83fd-687fecf7b40d', 'treasury:AIA', -100000000, 99999900000000, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (6, '3c8267dd-cf86-47c1-83fd-687fecf7b40d', 'user:170ad345-f8ae-4148-a921-7cda86111493:AIA', 100000000, 100000000, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (7, '3f515efd-00ef-4dea-bb8f-0d604ed802c5', 'treasury:AIA', -100000000, 99999800000000, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (8, '3f515efd-00ef-4dea-bb8f-0d604ed802c5', 'user:ae53f873-9240-4153-acd1-c8324fcdcf73:AIA', 100000000, 100000000, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (9, '8031551d-e0de-42d7-be1a-58db036cae9e', 'treasury:AIA', -1000000000, 99998800000000, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (10, '8031551d-e0de-42d7-be1a-58db036cae9e', 'user:170ad345-f8ae-4148-a921-7cda86111493:AIA', 1000000000, 1100000000, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (11, '5530837d-f622-44c7-90d9-8bdaf4c9838b', 'issuance:AIA', 25500, -99999999974500, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (12, '5530837d-f622-44c7-90d9-8bdaf4c9838b', 'user:170ad345-f8ae-4148-a921-7cda86111493:AIA', -25525500, 1074474500, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (13, '5530837d-f622-44c7-90d9-8bdaf4c9838b', 'user:ae53f873-9240-4153-acd1-c8324fcdcf73:AIA', 25500000, 125500000, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (14, 'f7cc64a2-1641-4eb2-8c49-17e970a13a36', 'staked:170ad345-f8ae-4148-a921-7cda86111493:AIA', 100000000, 100000000, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (15, 'f7cc64a2-1641-4eb2-8c49-17e970a13a36', 'user:170ad345-f8ae-4148-a921-7cda86111493:AIA', -100000000, 974474500, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (16, '1db77ec6-0486-46e2-9f28-e33d22f899dd', 'issuance:AIA_GOV', -5000000000, -10005000000000, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (17, '1db77ec6-0486-46e2-9f28-e33d22f899dd', 'user:170ad345-f8ae-4148-a921-7cda86111493:AIA_GOV', 5000000000, 5000000000, '2026-01-01 00:00:00+00');
INSERT INTO public.ledger_lines VALUES (18, '67bb11fe-52c5-410b-8846-d1dbace8e7fc', 'locked:170ad345-f8ae-4148-a921-7cda86111493:1:AIA_GOV', 5000000000, 5000000000, '2026-01-01 00:01:02+00');
INSERT INTO public.ledger_lines VALUES (19, '67bb11fe-52c5-410b-8846-d1dbace8e7fc', 'user:170ad345-f8ae-4148-a921-7cda86111493:AIA_GOV', -5000000000, 0, '2026-01-01 00:01:02+00');
INSERT INTO public.ledger_lines VALUES (20, '91d10bc3-6025-4ddc-bd3f-8633efd80b91', 'treasury:AIA', 10000000, 99998810000000, '2026-01-01 00:01:02+00');
INSERT INTO public.ledger_lines VALUES (21, '91d10bc3-6025-4ddc-bd3f-8633efd80b91', 'user:170ad345-f8ae-4148-a921-7cda86111493:AIA', -10000000, 964474500, '2026-01-01 00:01:02+00');


--
-- Data for Name: ledger_supply; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.ledger_supply VALUES ('AIA', 100000000000000, 25500);
INSERT INTO public.ledger_supply VALUES ('AIA_GOV', 10005000000000, 0);


--
-- Data for Name: outbox; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.outbox VALUES (1, '76695e25-76ff-44ba-852e-20cfd51a3608', '{"user_id":"170ad345-f8ae-4148-a921-7cda86111493","email":"ada@example.com","name":"ada"}', '{"ce-specversion": "1.0", "ce-id": "76695e25-76ff-44ba-852e-20cfd51a3608", "ce-type": "tech.013a.user.registered", "ce-source": "//api.013a.tech/accounts", "ce-time": "2026-12-06T08:37:39.780548Z", "ce-dataschema": "https://api.013a.tech/schemas/events/tech.013a.user.registered/v1", "content-type": "application/json", "ce-subject": "users/170ad345-f8ae-4148-a921-7cda86111493"}', NULL, '2026-12-06 08:37:39.792312+00', '2026-12-06 08:37:39.797136+00');
INSERT INTO public.outbox VALUES (2, 'f874fbbf-63c7-44f2-92a6-b8489ced5930', '{"user_id":"ae53f873-9240-4153-acd1-c8324fcdcf73","email":"bob@example.com","name":"bob"}', '{"ce-specversion": "1.0", "ce-id": "f874fbbf-63c7-44f2-92a6-b8489ced5930", "ce-type": "tech.013a.user.registered", "ce-source": "//api.013a.tech/accounts", "ce-time": "2026-12-06T08:37:39.821463Z", "ce-dataschema": "https://api.013a.tech/schemas/events/tech.013a.user.registered/v1", "content-type": "application/json", "ce-subject": "users/ae53f873-9240-4153-acd1-c8324fcdcf73"}', NULL, '2026-12-06 08:37:39.823373+00', '2026-12-06 08:37:39.826275+00');
INSERT INTO public.outbox VALUES (3, 'eed72f34-eb31-5a23-828e-6a31462fa51e', '{"proposal_id":"1","title":"Lower the bottom tax rate","summary":"A fixture proposal of the first release.","proposer_id":"170ad345-f8ae-4148-a921-7cda86111493","state":"Pending","snapshot_at":"2026-01-01T00:01:01Z","voting_ends_at":"2026-01-08T00:01:01Z","eta":null,"votes_for":"0.000000","votes_against":"0.000000","votes_abstain":"0.000000","quorum":null,"quorum_reached":null,"proposal_url":"https://app.013a.tech/governance/proposals/1"}', '{"ce-specversion": "1.0", "ce-id": "eed72f34-eb31-5a23-828e-6a31462fa51e", "ce-type": "tech.013a.governance.proposal.created", "ce-source": "//api.013a.tech/governance", "ce-time": "2026-01-01T00:00:01Z", "ce-dataschema": "https://api.013a.tech/schemas/events/tech.013a.governance.proposal.created/v1", "content-type": "application/json", "ce-subject": "governance/proposals/1"}', 'governance/proposals/1', '2026-12-06 08:37:40.251345+00', '2026-12-06 08:37:40.253626+00');


--
-- Data for Name: password_resets; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: refresh_tokens; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.refresh_tokens VALUES ('1e4fe5327cc7844845c0af6ae0098011eae65f33d8727109a569044227078cc0', '170ad345-f8ae-4148-a921-7cda86111493', 'fd8241da357a45689031e7785b951093', '2026-01-01 00:00:00+00', '2026-01-31 00:00:00+00', NULL, NULL);
INSERT INTO public.refresh_tokens VALUES ('b0d9aba6b7eb163ed8e70a5158ab6529d21a794dc76a3ce1b7aa415a279d0488', 'ae53f873-9240-4153-acd1-c8324fcdcf73', 'df96b29c6a4f4625b3202c1e2b4e904f', '2026-01-01 00:00:00+00', '2026-01-31 00:00:00+00', NULL, NULL);
INSERT INTO public.refresh_tokens VALUES ('e84613e7b6d52f7cd4e16924d35eb1189f76ec026d452a5801c2a266c441095c', 'ae53f873-9240-4153-acd1-c8324fcdcf73', '7a9fbbe195774ea6b6a72ffacb641d76', '2026-01-01 00:00:00+00', '2026-01-31 00:00:00+00', NULL, NULL);


--
-- Data for Name: simulation_metrics; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.simulation_metrics VALUES ('d4f7ff57-cc57-4f38-9a51-9a3dae7f88a6', 1, 141.8947968209733, 141.8947968209733, 0, 1.058916394186368, 0.06293706293706294, 0, 0.0339, -0.0041241385313104395, 30.554040093906224, 0.32235404873220774, 0.5787031620726956, 0.8150551187992096, 200, 12.027517335731105, 4.191277024879018, 65.4291115762272, 0.02733203765656299, 0.715, 134, 1, 0.8565541587769986, 133.44615716671433, 0, 27.445805180171373, -35.88022873473983, 0.9997553793966406, 0.98, 12.040000000000001, 0.012482664268895972, 0.7004058621520501, 0.8783195458758433, 10, 0, 0.46751459054732086, 8.373761806262074e-17, 0);
INSERT INTO public.simulation_metrics VALUES ('d4f7ff57-cc57-4f38-9a51-9a3dae7f88a6', 2, 149.56421599745062, 149.3157167881058, 1.4216726056036766, 1.081997947739897, 0.03496503496503497, 0.02015486314470305, 0.03465481940600339, 0.050366059694124, 38.594711346551776, 0.3215091752136263, 0.5679824813828511, 0.8117730939388275, 200, 12.054946234674334, 4.24161184420492, 65.4291115762272, 0.06941570407135057, 0.715, 138, 1.00166425353399, 0.8771621272430232, 111.20879882026384, 15.882751461377646, 22.691059009593364, -21.251041958731093, 0.9603300203561878, 0.962446912540841, 12.080091724452437, 0.025145489778100702, 0.7004058621520501, 0.8783195458758433, 10, 0, 0.4385503451432844, 1.4797349796815658e-16, 1.4735501965913488e-16);
INSERT INTO public.simulation_metrics VALUES ('d4f7ff57-cc57-4f38-9a51-9a3dae7f88a6', 3, 152.50013812330647, 151.8171727268559, 0.7192932970102002, 1.1001244400496804, 0.03496503496503497, 0.02729701478950375, 0.04288682532073727, 0.0698435688796859, 37.32715956121683, 0.3138930622782806, 0.5569339474104148, 0.8106655475497245, 200, 12.082022755233199, 4.379128656526882, 65.4291115762272, 0.08501142464521114, 0.715, 138, 1.0044986043685542, 0.8940179460941472, 115.10757889663887, 10.061137944222846, 23.126608282289546, -25.00670451945939, 0.9555066666159813, 0.9527747386888018, 12.120274878568019, 0.038252123334816854, 0.726164245138804, 0.8783195458758433, 10, 0, 0.4140803505644337, 1.5863900723271778e-16, 2.9404957686093426e-16);


--
-- Data for Name: simulation_policy_changes; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: simulation_states; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.simulation_states VALUES ('d4f7ff57-cc57-4f38-9a51-9a3dae7f88a6', 3, 3, '{"households":200,"seed":7,"policy":{"fiscal":{"tax_brackets":[{"threshold":0.0,"rate":0.12},{"threshold":0.5,"rate":0.25},{"threshold":1.25,"rate":0.35},{"threshold":3.0,"rate":0.45}],"unemployment_benefit":0.45,"pension":0.45,"minimum_income":0.35,"basic_income":0.0,"public_spending":0.22,"debt_target":0.8,"debt_response":0.5,"estate_tax":0.2},"monetary":{"neutral_real_rate":0.02,"inflation_target":0.02,"inflation_response":0.5,"output_gap_response":0.5,"smoothing":0.8,"lower_bound":0.0,"neutral_rate_learning":0.3,"loan_spread":0.02},"tokens":{"platform_share":0.03,"burn_rate":0.003,"issuance_rate":0.04,"staking_target":0.6,"staking_rate_sensitivity":5.0}},"behaviour":{"skill_dispersion":0.65,"propensity_to_consume":0.8,"consumption_from_wealth":0.035,"thrift_by_skill":0.3,"rate_sensitivity":3.0,"subsistence":0.3,"borrowing_limit":4.0,"health_spending_share":0.1,"equity_threshold":0.0,"demand_shock_persistence":0.97,"demand_shock_volatility":0.01,"separation_rate":0.015,"matching_efficiency":0.3,"hiring_speed":1.0,"firing_speed":0.1,"hours_range":0.1,"natural_unemployment":0.05,"wage_unemployment_response":0.6,"expectations_anchoring":0.7,"households_per_firm":20,"health_firms_share":0.1,"inventory_target":0.2,"inventory_adjustment":0.15,"inventory_decay":0.05,"demand_learning":0.15,"markup":0.2,"markup_adjustment":0.02,"price_reset_probability":0.25,"share_competition":1.0,"share_volatility":0.02,"dividend_payout":0.5,"investment_share":0.4,"learning_by_doing":0.006,"investment_productivity":0.2,"innovation_volatility":0.005,"imitation":0.02,"health_recovery":0.05,"health_shock_rate":0.01,"health_shock_severity":0.35,"health_income_gradient":0.06,"participation_health":0.4,"retirement_age":65,"mortality_at_20":0.0003,"mortality_growth":0.085,"mortality_health":3.0,"household_formation":0.5}}', '\x41494153494d00019f0600007b227469636b223a332c22686f757365686f6c6473223a3230302c226669726d5f736c6f7473223a31312c226d6163726f223a5b22706f6c6963795f72617465222c226e65757472616c5f7368696674222c2265787065637465645f696e666c6174696f6e222c2264656d616e645f73686f636b222c22637069222c22617665726167655f77616765222c22756e69745f77616765222c22756e656d706c6f796d656e74222c226f75747075745f676170222c226e6f6d696e616c5f676470222c227472656e645f676470222c22676f7665726e6d656e74222c2274726561737572795f66696174222c2274726561737572795f616961222c2262616e6b5f657175697479222c2262616e6b5f70726f666974222c226169615f7072696365222c226169615f6d696e746564222c226169615f6275726e6564222c22676f765f6d696e746564222c22676f765f6275726e6564225d2c22617272617973223a5b7b226e616d65223a22686f757365686f6c64732e616765222c226474797065223a223c7532222c227368617065223a5b3230305d2c226f6666736574223a307d2c7b226e616d65223a22686f757365686f6c64732e6865616c7468222c226474797065223a223c6634222c227368617065223a5b3230305d2c226f6666736574223a3434387d2c7b226e616d65223a22686f757365686f6c64732e736b696c6c222c226474797065223a223c6634222c227368617065223a5b3230305d2c226f6666736574223a313238307d2c7b226e616d65223a22686f757365686f6c64732e656d706c6f796572222c226474797065223a223c6934222c227368617065223a5b3230305d2c226f6666736574223a323131327d2c7b226e616d65223a22686f757365686f6c64732e6465706f73697473222c226474797065223a223c6638222c227368617065223a5b3230305d2c226f6666736574223a323934347d2c7b226e616d65223a22686f757365686f6c64732e616961222c226474797065223a223c6638222c227368617065223a5b3230305d2c226f6666736574223a343534347d2c7b226e616d65223a22686f757365686f6c64732e676f76222c226474797065223a223c6638222c227368617065223a5b3230305d2c226f6666736574223a363134347d2c7b226e616d65223a22686f757365686f6c64732e666c616773222c226474797065223a227c7531222c227368617065223a5b3230305d2c226f6666736574223a373734347d2c7b226e616d65223a226669726d732e736563746f72222c226474797065223a227c7531222c227368617065223a5b31315d2c226f6666736574223a383030307d2c7b226e616d65223a226669726d732e70726f647563746976697479222c226474797065223a223c6638222c227368617065223a5b31315d2c226f6666736574223a383036347d2c7b226e616d65223a226669726d732e7072696365222c226474797065223a223c6638222c227368617065223a5b31315d2c226f6666736574223a383139327d2c7b226e616d65223a226669726d732e77616765222c226474797065223a223c6638222c227368617065223a5b31315d2c226f6666736574223a383332307d2c7b226e616d65223a226669726d732e6d61726b7570222c226474797065223a223c6638222c227368617065223a5b31315d2c226f6666736574223a383434387d2c7b226e616d65223a226669726d732e696e76656e746f7279222c226474797065223a223c6638222c227368617065223a5b31315d2c226f6666736574223a383537367d2c7b226e616d65223a226669726d732e65787065637465645f73616c6573222c226474797065223a223c6638222c227368617065223a5b31315d2c226f6666736574223a383730347d2c7b226e616d65223a226669726d732e7368617265222c226474797065223a223c6638222c227368617065223a5b31315d2c226f6666736574223a383833327d2c7b226e616d65223a226669726d732e6465706f73697473222c226474797065223a223c6638222c227368617065223a5b31315d2c226f6666736574223a383936307d2c7b226e616d65223a226669726d732e70726f666974222c226474797065223a223c6638222c227368617065223a5b31315d2c226f6666736574223a393038387d2c7b226e616d65223a226d6163726f222c226474797065223a223c6638222c227368617065223a5b32315d2c226f6666736574223a393231367d2c7b226e616d65223a22686973746f7279222c226474797065223a223c6638222c227368617065223a5b322c31325d2c226f6666736574223a393430387d5d7d00000000000000000000000000000000000000000069026b01f901c00391010401a201100236011903290137010703dc0345033c03270279026601a202cd028503850327021d03ac031e027403b501a501e603a2021101ba012602a2021303ec01bb021e01db018e010301480303047402ba011202eb02d702bf0368025a02ed02400376029a01c4016d01ed0387032001c9018902d7034b016204f400b001bc020f01a303e302cc0262048601e0013e012f015802cf0192023e0290029301ab03790172045103fd0046035f0223047e010f0219046902d102fe0324021a025902ad0271033b043b039b023701e901d8024602920174022d04ec020702b50172015501d8012f017f01f1032801d1031903b101ec03fe02c1037c0131025402b101f4015e01ee01c0030f0336012d03ff032102f800970282010e039e025603bb01cb024801240290024c0266029d015d02a80172026901fe014604f001bb02f902a10106048c01a903a4015201960156032603fc0268024401b20368014d03ec034d0312016303fe0078022502d302050244023a025501240200038703f5010e0355038a020000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002c54183fc455723fb1a6643f13ee283f4a015c3fa5167f3f65c06f3f39525f3f67f6703f4d113f3fc1d27a3f9624603f8826393f4f86203f93e9293f48133f3f1ad2503f8c2b513f563d713f0934573f667c4f3fc7c9193fb6043a3f2a55633f3680423f2e472c3fbd8d5c3f529e403f1634663f43d2773f5c1a1b3fb0f8433fea87713f99266f3fd6496e3fb9b04f3f30f7413fe630613fba94413f0000803f92c1683f00616e3f6bf97c3f1fb82c3f18861f3fdda6543fa013683f57c1653f21b24b3ff600463f23fe0e3f9cd53f3f9058543f166e4d3feba53b3f9e76603f2646743f1ee87b3f7ad67d3f5d7d153f41e5233fc4c9683fd2f6673ff1bd4b3f596e153fe232683f31bc1a3f9a25783feea1753f5ce13d3f722d6d3f06121f3f54814a3fb8f4503fb05c113f73526d3f5bad6a3ffbb76c3fbab66d3f1e134d3fd3b45b3fda9a453f832c663f5112553f0cfc7f3fa2ae213fc30b7c3fd3e3103f73d9293f999a713fc1cc343f9410503f3cbd2b3f4dc77c3fc464663f1b72193ffb97583feda12f3f523e223ff565593f50e0653ff6af543f3ee7523f8956303fdd66163f19e6353fe9883e3f035a773f13ae603fd8473a3f06845d3fc9e56a3fd5d6513f4f97023f74d0413fa9f5613f189a7f3f52d5763ffc09583f0de75d3ffbb46f3f6807753f6bfe1b3f3b546c3ff88c173f9602493f39af7c3f8c3e183f9f2a3d3f9fd1283f123e623f4b34653f65826e3ffe03723fac1b7a3f818e723f893d683f05e11f3fd5d0263f77976b3fbc333e3f60180f3f93a24b3f96e56d3fc9ff5a3f2ea1193fbdcd3e3f87035a3fba53293f6eec6d3fc13e473fe951653f16815b3f6e60363f37714c3f7bd3583f7e39723f4d69673f3a48663fa4d74e3f9c31763f9e95593f1567143f7a96353fa7183b3f30c54a3fee23793fa08f093f94047c3f037e2f3f23127f3f404e6e3fa94c693f7794283f06ad2c3f12693a3ffc52553f7d1d7a3fc612163f8a8e5a3f4397353f115e183fd66e3e3fd3a1793fc0b63c3fa5147b3ff0bb523fd3c2653f43dd413f385e5b3fe2674e3fefd5673f9e91763f8a116e3f0011403f2a291f3f4238653f5f4b453f1bb9483f4441083f000000000000000000000000000000000000000000000000000000000000000079b8df3e0771a13f77953740bf2e2c3fc629d73ecb50713fa579aa3f63ec213ffba09b3f7fe13e3ff271933ec8f85f3fe5b3f73e8238c23e3888bf3f0d8ab83f25acd63df297423f6d7d833fa923773f51633e3fea484d3faf4a0d40781f463f28d7a33edc0bfe3e32ae3a3fc66801409dd8123ee043593f8758f53e5b11c83ef50d813f34eb154032c5613ed2da883f303e5b3f1df7743fc41ed13fbb2d5640ad3f223f21612a3f1650fa3e31f4af3f0ba28440e61e693fbf08413fa25cba3e6adf0b3f59679d3f55f9fb3e5bd4903e0f93a73efc36403f9867a13e9a58313f31b1be3ef207813e89ef403fe9832c40b0ea2d4011e8283faa167b3fc74e1a3faaa3aa3efe6f773f05cd8d3f99ed973ffef9153f4683c93f8f74a23fc085ea3ef454cf3ea730683fb967913f5838043fd5df2640da8dd73ed049bc3fcd60e33e9617f63e4309d43e4552893e1a16623f99a4a93f4249873fd03d223ec5359c3f856f0040bcda8d3ee7f6633f2f948b3f04c0ba3f39c8513f1858893f68880840bff8c83edd3c093fb608113fe8b0663f7b13f53e867ed13ef8a5a83efa0cd73f936b8f3fe4d3983fc69aec3ef314e63ec5433a3f0640ff3f7d0fcd3f05f8cc3fa6015c3f9e1cd33e5552d23fb961a53e37aeb23fad86213ff408943e040e463ec8bce13f53da0d3f328eb13e5dfd123fa0798b3fd8e1003f0ea09e3e9ba8923feb5a763fefdff63f3e700b3f2d9301404222bf3f472d993f9795e13fd4ddea3f9d828f3e7c45873f53264d3f8897f03e6550163f555ead3eef1e1d3ff49e163fd746493f256e723faf29203f3384883e7e01c33f03d2043f68b7a23f74dd843f1f125d3fbbc0003fe6345c3f14f76e3f32dd103fda472b3f913b943fdde8f83f8201253ffa96003f7893853f65ee0c40d6729c3ffe52053fc5a21440c2c8bc3fd3ed6d3fe6e97a3e1e5db43fea2b303ff93b263fc0e41e3f8ec2573f20b5a43eff33ab3e4c49833f135d033f372f0e40704d3c3f51a2b63f0ab3173f2310153fc02f593f49bf623f8029373f03b9793f82b10240acde5a3f897f433f9e35e63e46dd623f7262203fff89904011f3103fbe31383f1a21cb3f28fd243f04d6853f0000000000000000000000000000000000000000000000000000000000000000090000000500000009000000000000000900000009000000070000000a0000000300000000000000070000000000000001000000000000000000000000000000080000000600000001000000090000000900000000000000000000000100000000000000000000000a00000000000000090000000200000000000000090000000500000003000000090000000900000000000000010000000700000005000000040000000a000000040000000000000000000000060000000a0000000600000005000000080000000000000005000000010000000700000000000000090000000a000000040000000100000000000000000000000900000006000000000000000000000008000000000000000100000003000000030000000700000000000000090000000800000000000000090000000000000007000000070000000900000001000000040000000a0000000600000006000000000000000100000000000000000000000100000000000000090000000000000007000000050000000000000009000000050000000000000009000000030000000500000008000000000000000000000000000000080000000a000000030000000700000007000000000000000a0000000000000009000000090000000500000005000000090000000500000007000000070000000000000005000000000000000000000005000000000000000a000000000000000500000009000000070000000500000005000000050000000a00000000000000000000000a00000000000000000000000a000000060000000a00000004000000000000000100000000000000050000000800000000000000090000000700000006000000010000000a0000000a00000009000000090000000a0000000900000000000000030000000a0000000400000003000000000000000a000000000000000600000005000000040000000000000000000000090000000300000007000000000000000900000000000000000000000000000009000000000000000900000007000000070000000700000004000000080000000600000007000000070000000600000000000000070000000000000000000000020000000000000000000000000000000000000000000000000000000000000000000000e7e474043bcaf03f1e858974e28a364061e571c9b46f424058599cf750920d400a8cc1475b3b0140e92192e8c4252940c1143f73afc22140476f71c4a8a5f93f5e009667aef20c401bac1210255a2f4012f7ad8a5d310340b2db4c1f31cf1640faa98b3900a5ee3f05e848d0bd5e1140dc70932d624b1240e0724a1d3b2634409f60f6840c5fea3f2e9f95fb1d8a164027e54eb5fc270340bd22c8c1a2040b40ab359a9c4cebf03fee6df7e2414a0f40c9a34bdbdf6a1f4022bfddac77eef83fda37cec9483f11405732d774dfc0f03f42285f8955021040278b5000c5701d408d05460a3e15ed3f6fc21af1ae93024031582e2432ef10401137d471a1cf0040b5a4502620cc2740de4b2d26bd70314064757a0143bcba3fa6c95f0d6e790a40754494f4d19b2540ae4f041426490a40587fce3872151d40aa6eee477596184017f0b7c0246f014056301461c646224005d16be57039f03f14803325b9482f40936bba3b9346414068497a890a292040f1a8bd70cb372a40138658123328fd3f9cc676c61602e73f562edcc9f3821140ab6cac6c89abf53f14102bb456c9e53f0180721381a4ee3fbe1acaecbee4e83fb0017554c1980040a9347496c1b91c401249f060d0df10403f04b330efc6084026b6ec7c6141064076ff13f5310b33406f2b53ddaeb64440a64ff1c67f1e144048de2024a9ce3240a393aac4da19f33fb1ac0daf4392f23f26bd107239c30340f7b85cd087312440940ee29998cf0e40ff26378e50e6f83fc073406091ce094016aaf31d582b13401f31f22c4b58fc3f25d3a2c027a0f23feafe3b17ace7104010ee3cb116f02340764ef8592bbf01408476afa58e851540ae9024f46626e53ff78181d8045f2340b4e0ec50ae66e83fbb5a9ece6a87f23f8a03367432bfe93f1179da1851b0054070052610260bf43fab1a89c8d39039405e42501a7b2e284045f3aedede00e43f4f88fa5e0f97184041ebff4f3f4a0640e0bce18839521140e67fb179275f184066a212efc5b60d40df261ee5ef53034012b083b98723f13f229b236775a50f40b604626719592140f9fcd93f8ebd1140bc24deeb50dd0240cda6a0de540df63f0087dd3e380b0640871da05163f30240a550a1f9456f004037af419f1409df3f39a2bde846c8254044e2967a77e8fa3f50a966b3db6a3a40886485babddbf13f804b55b44c49fc3f1a5e499f47610340fc176b555ec60f4017d65dbe72b9174039653baf5d482440298768abe0960f408ebbda40217b2140687af11edd5d244008d22ec7bae0f73f44994cf6c8d23640e90f7b395fb90840a5db4f70ef66ee3f6d061df5cf380d40f99b97d590cb23403ece8595a2b71e401b69dc31bee3d93f944fe1323b3111409c46f41a7e630f4022427db0014414407f19eaf01c8e0d40eccd8957ea4bed3f5b141e39f5b745403c963ad0959c0840587cbe356c6b01402da3431675e44a400ac39119410a0640c9a436b9c0db08402eeca6c9617d37406537137c6c3e0b40749c82ec19eafb3f4ed0d7bb99c102405475ae05c6400940c785e282a86713403d2c1755c3d5f63f18fb30906a640d40bb766a37eb701d40a416c9b61e6d1a4058e7b0879c3224407a924058c18b174045a665731c361a40ad1cb452f53d2140640e27a1de5f2740fee28f826126064051430bde973d00400025bcefeeb0414030ec314a3eed14406221ca6eabf8044086c8e298496bf13f93ce057b253307401cd29d1841431140014b1ad1fedb04400cb01779bf2e3540328d60d31015134078bd4b3f0b5ef83f3422d4c74c45eb3fc4a38ff41bf41e40dd1cb32f15cb3740ee2ce14dd7b43d4068a994cb7a590840e81331a3e6ea34403f783f76641140402d2d93604806ef3f889017c7c13f1340d49bffc885d6214079027c2710690540b4a804e470bdfc3fe94388c6f8c5f83ff215b79ebe2df73fa3ae510f942aec3f691c7ed2c1f6da3fde3ac63f57c601401afa855b0801f03f59462933db7a00407c148f7f73ca18407ef470e4d42f1140a03833738aa707402a2f15eb1a381040ed1e5150aee32c4055d3cb242cfcee3fada545c0a3330140b2d235da92552040a5f71f7eedbd35401c8713408dfa2240f8ad915f02ee19403a803321e516f13f9ef1328757e50340f4e8583846ea0a40c35d75c4a46537406e9e3e758e272c40d72333c0e4470140381f8acd28182540b85bd8858d991a4023191927b19f14405c5a39259604663f000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000400213e3132a5a3f0000000000000000c0e501adbbe93f3f0000000000000000000000000000000000000000000000009de9b1ed88f4873f00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000d44e7b94bb10783f00000000000000000000000000000000d44e7b94bb10783f00000000000000000000000000000000000000000000000000000000000000000000000000000000d44e7b94bb10783f0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000003acb03aba96c763fd44e7b94bb10783fd44e7b94bb10783f000000000000000038c56f37c099613f00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000d44e7b94bb10783f6aef8bc5ea01783f00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000034da9564aff66e3f308d6a8080575e3f0000000000000000000000000000000000000000000000000000000000000000001087b364c0583f000000000000000028b234f56359533f0000000000000000b82ba4c222755f3f68f3b207fe3d5e3f000000000000000000000000000000000000000000000000d44e7b94bb10783f00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000ff661ac243cb863f000000000000000000000000000000000000000000000000d44e7b94bb10783f000000000000000000000000000000000000000000000000502e32773a04543f00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000eefd85e8db08803f00000000000000000000000000000000d44e7b94bb10783f307aa2df4982603f00000000000000000000000000000000d44e7b94bb10783f000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000012a27e668929753f000000000000000000000000000000000000000000000000ad188bbc9bf08b3f000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000ba20b5e9a57b853f00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000003439e1827d65743f08aae7183b7b513fd44e7b94bb10783fd44e7b94bb10783f0000000000000000d44e7b94bb10783f0000000000000000000000000000000000000000000000001a519a686f2b7f3f000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000cc474fc73c0a01400000000000000000da0cf6a8127ffb3f00000000000000000000000000000000ca24bb2c9776ff3f0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000bb0e5c6fc7e1f13f000000000000000059b88d25b4be01400000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000886ac686c00af23f0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000bc0ef572e9acf23f000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000007516229ccd2cfa3f000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001000114892ff0840000000000000000000000000000000000000000000000000000000000000000000000000000000003aa81162a13d0d4037faa8e31743f33f000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000193355f656f9f33f0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008028f8ac6a3ef23f00000000000000000000000000000000000000000000000000000000000000000000000000000000b846c9c042040040000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000b7710c8217a20a40000000000000000000000000000000001a6c896f35e8104000000000000000000000000000000000000000000000000000000000000000000000000000000000ad38af05cbf7f73f03d01b0f980ff43fb89d0008dab4fb3fee14947c34860740000000000000000000000000000000005a8c0fc792e7f43f0000000000000000000000000000000000000000000000000b5d63e0479ff13f0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000a70662b76c4efc3f000000000000000053f0cf21bc48f13f0000000000000000000000000000000078edecd5eeac074000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000005e5108f70adaf43f00000000000000003af752837f88f03f0000000000000000000000000000000088a534a56f021540000000000000000000000000000000000000000000000000000000000000000000000000000000002870b5bf7c9df63f0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e87b8242d872044000000000000000000000000000000000072d57d515dff13f00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000004b1550a265530340b1ef9f952ff7fa3f00000000000000000000000000000000010301010101030101010101010101010301010101010101030101010101010101010101010101010101010101010101010101010101010101010101010103010101010103030101010101010101010101010101010101010101010103010101010103010101010101010101030101010101030301030101030101010101010101010101010101030103010103010101010101010101010101030101010101010101010101010101010101010101010101010101010103010101010101010101010101010303010100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006410df2b44def03f6f164220e60ff03f80cf13fbb31fee3f811032ef787ef03fb13810613823f03f8129a851bad7f03f4a343c01f866ef3f1a18ce9bb567f03f71eb7ae15ffbee3f221d56341a10f13f000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000b88e9b3cff1bf23ff8ff18278c04f43fbc14dd1baa77f43fe4c2d6eac01bf33f070441a7b38ef33f89a26f3e5c6ef23f0fff0f2e07e2f33f6b6136491ea0f23f09370769b9d4f33fd7cebee469faf13f000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e39b0d0c2bffef3fadf20f9ec6e5ef3f7216eb70f6fbef3f448407853a3af03ff3ff0409a240f03fe3f278115536f03f069141eb8f59f03ff0988f0aa800f03f1c2d09c78815f03f703a97d7d610f03f00000000000000000000000000000000000000000000000000000000000000000000000000000000ed51b81e85ebc13f92b0914a0af2ca3fa4703d0ad7a3d03f87098b939336cb3fa4703d0ad7a3d03fc24e045c95fecc3f59385ebae8c9cc3f0e133371ed12c93f2ab4541c44ebce3f7aa3e721081ecb3f44955605ee9bce3f0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000666666666666aebc000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002bd3c3c8ac221f401136c77cb5e3044000bc594349e92540b6fcffff4e011c405a2ef8ebc33434407ee2b04668e32b407cba77331dd13340d3c32acfa0ec18409fe126961d8538401409fe7b3cf82a4000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000036853eed3f04e93f26eb054b00efcb3fc84817073763b73f05df84c50813ac3fab0c44b1417bc63fbae2dc83e91ec03f10cc18c0184dc33f6a3e4d70aaa3af3f83e694b13d55cb3f473231083624c03f000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000c114fed08d9d3040ba1f1b0072a80f40573f7a30e52f3a40dc6345e1afdf2540958b1c86430e454092a7b27b58ab3b40cf3b9fcc423a494060f7b7aebd8c2540a9dceae3783f4c403300c250a00f384000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000011544fee9617f83f54b955e59164d83f5313b7c22f69044009d600488a06f13fcefa8011c55d1140c102b2635cdd05406fb8c2b96991114043305c3ff0cbf23f030e4fdca3051540b50e308941d7034000000000000000000000000000000000000000000000000000000000000000000000000000000000fd185d1043f5a53f4ecaf358108f34bff0038997bdb8963f58e71c457b05753fb4c32153cc15f03fd35d1086cb9bec3fd6a5fa403716f03ffb4c5be3efe6a13fb0962ca444e1b13fb162aa2101106340b6b55defc47a61403b97a8ac50529bc0cbd365d646f70c4095a6309e01cc274049f70da549ac5a400a1763beb65fd83f7bf2e372217dee3fc4f53bab943d28406e817345c895a33fc68e6690765b50400000000000000000000000000000000000000000000000000000000000000000000000000000f03f0703a818d106f03fd43fea206d12f03f000000000000f03f000000000000f03f000000000000f03f000000000000f03f000000000000f03f000000000000f03f000000000000f03f000000000000f03f000000000000f03fa554f12ca2bc6140cdf6175a1aaa6240ef206b4726fa624032331b459956614032331b459956614032331b459956614032331b459956614032331b459956614032331b459956614032331b459956614032331b459956614032331b4599566140', '3fe4305d-6852-4265-a1ab-dbc16420c1a7', '2026-12-06 08:37:40.321916+00');


--
-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.users VALUES ('170ad345-f8ae-4148-a921-7cda86111493', 'ada@example.com', 'ada', '$argon2id$v=19$m=8192,t=1,p=2$CpQAUrgM/Iqbq643jFYkyA$XNQk7UbE9WXH6krj/1/qRjXXN+t7MiBlbB2AuwaZphU', 'user', '2026-01-01 00:00:00+00', false);
INSERT INTO public.users VALUES ('ae53f873-9240-4153-acd1-c8324fcdcf73', 'bob@example.com', 'bob', '$argon2id$v=19$m=8192,t=1,p=2$EofJm3u6fpH28mPHT33F5Q$TNeo8ujtqmyRIynQ27fCYwkPrJiDOsACa6J4vESdJfU', 'admin,user', '2026-01-01 00:00:00+00', false);


--
-- Name: governance_delegations_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.governance_delegations_id_seq', 1, true);


--
-- Name: governance_proposals_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.governance_proposals_id_seq', 1, true);


--
-- Name: ledger_audit_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ledger_audit_id_seq', 1, true);


--
-- Name: ledger_lines_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ledger_lines_id_seq', 21, true);


--
-- Name: outbox_seq_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.outbox_seq_seq', 3, true);


--
-- Name: alembic_version alembic_version_pkc; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);


--
-- Name: api_keys pk_api_keys; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT pk_api_keys PRIMARY KEY (id);


--
-- Name: governance_delegations pk_governance_delegations; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.governance_delegations
    ADD CONSTRAINT pk_governance_delegations PRIMARY KEY (id);


--
-- Name: governance_milestones pk_governance_milestones; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.governance_milestones
    ADD CONSTRAINT pk_governance_milestones PRIMARY KEY (proposal_id, milestone);


--
-- Name: governance_proposals pk_governance_proposals; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.governance_proposals
    ADD CONSTRAINT pk_governance_proposals PRIMARY KEY (id);


--
-- Name: governance_votes pk_governance_votes; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.governance_votes
    ADD CONSTRAINT pk_governance_votes PRIMARY KEY (proposal_id, voter_id);


--
-- Name: ledger_accounts pk_ledger_accounts; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ledger_accounts
    ADD CONSTRAINT pk_ledger_accounts PRIMARY KEY (id);


--
-- Name: ledger_audit pk_ledger_audit; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ledger_audit
    ADD CONSTRAINT pk_ledger_audit PRIMARY KEY (id);


--
-- Name: ledger_entries pk_ledger_entries; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ledger_entries
    ADD CONSTRAINT pk_ledger_entries PRIMARY KEY (id);


--
-- Name: ledger_lines pk_ledger_lines; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ledger_lines
    ADD CONSTRAINT pk_ledger_lines PRIMARY KEY (id);


--
-- Name: ledger_supply pk_ledger_supply; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ledger_supply
    ADD CONSTRAINT pk_ledger_supply PRIMARY KEY (token);


--
-- Name: outbox pk_outbox; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT pk_outbox PRIMARY KEY (seq);


--
-- Name: password_resets pk_password_resets; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.password_resets
    ADD CONSTRAINT pk_password_resets PRIMARY KEY (token_hash);


--
-- Name: refresh_tokens pk_refresh_tokens; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.refresh_tokens
    ADD CONSTRAINT pk_refresh_tokens PRIMARY KEY (token_hash);


--
-- Name: simulation_metrics pk_simulation_metrics; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.simulation_metrics
    ADD CONSTRAINT pk_simulation_metrics PRIMARY KEY (simulation_id, tick);


--
-- Name: simulation_policy_changes pk_simulation_policy_changes; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.simulation_policy_changes
    ADD CONSTRAINT pk_simulation_policy_changes PRIMARY KEY (event_id);


--
-- Name: simulation_states pk_simulation_states; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.simulation_states
    ADD CONSTRAINT pk_simulation_states PRIMARY KEY (simulation_id);


--
-- Name: users pk_users; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT pk_users PRIMARY KEY (id);


--
-- Name: api_keys uq_api_keys_prefix; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT uq_api_keys_prefix UNIQUE (prefix);


--
-- Name: ledger_entries uq_ledger_entries_idempotency_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ledger_entries
    ADD CONSTRAINT uq_ledger_entries_idempotency_key UNIQUE (idempotency_key);


--
-- Name: outbox uq_outbox_event_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT uq_outbox_event_id UNIQUE (event_id);


--
-- Name: users uq_users_email; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT uq_users_email UNIQUE (email);


--
-- Name: ix_api_keys_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_api_keys_user_id ON public.api_keys USING btree (user_id);


--
-- Name: ix_governance_delegations_delegatee_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_governance_delegations_delegatee_id ON public.governance_delegations USING btree (delegatee_id);


--
-- Name: ix_governance_delegations_delegator_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_governance_delegations_delegator_id ON public.governance_delegations USING btree (delegator_id, at, id);


--
-- Name: ix_governance_proposals_proposer_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_governance_proposals_proposer_id ON public.governance_proposals USING btree (proposer_id, idempotency_key);


--
-- Name: ix_governance_proposals_settled; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_governance_proposals_settled ON public.governance_proposals USING btree (settled);


--
-- Name: ix_governance_votes_lock_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_governance_votes_lock_state ON public.governance_votes USING btree (lock_state, release_at);


--
-- Name: ix_governance_votes_voter_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_governance_votes_voter_id ON public.governance_votes USING btree (voter_id);


--
-- Name: ix_ledger_accounts_owner; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_ledger_accounts_owner ON public.ledger_accounts USING btree (owner);


--
-- Name: ix_ledger_lines_account_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_ledger_lines_account_id ON public.ledger_lines USING btree (account_id, created_at, id);


--
-- Name: ix_ledger_lines_entry_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_ledger_lines_entry_id ON public.ledger_lines USING btree (entry_id);


--
-- Name: ix_outbox_published_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outbox_published_at ON public.outbox USING btree (published_at);


--
-- Name: ix_refresh_tokens_family_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_refresh_tokens_family_id ON public.refresh_tokens USING btree (family_id);


--
-- Name: ix_refresh_tokens_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_refresh_tokens_user_id ON public.refresh_tokens USING btree (user_id);


--
-- Name: ix_simulation_policy_changes_simulation_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_simulation_policy_changes_simulation_id ON public.simulation_policy_changes USING btree (simulation_id);


--
-- Name: ledger_audit ledger_audit_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER ledger_audit_append_only BEFORE DELETE OR UPDATE ON public.ledger_audit FOR EACH ROW EXECUTE FUNCTION public.ledger_append_only();


--
-- Name: ledger_entries ledger_entries_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER ledger_entries_append_only BEFORE DELETE OR UPDATE ON public.ledger_entries FOR EACH ROW EXECUTE FUNCTION public.ledger_append_only();


--
-- Name: ledger_lines ledger_lines_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER ledger_lines_append_only BEFORE DELETE OR UPDATE ON public.ledger_lines FOR EACH ROW EXECUTE FUNCTION public.ledger_append_only();


--
-- Name: api_keys fk_api_keys_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT fk_api_keys_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: governance_milestones fk_governance_milestones_proposal_id_governance_proposals; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.governance_milestones
    ADD CONSTRAINT fk_governance_milestones_proposal_id_governance_proposals FOREIGN KEY (proposal_id) REFERENCES public.governance_proposals(id);


--
-- Name: governance_votes fk_governance_votes_proposal_id_governance_proposals; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.governance_votes
    ADD CONSTRAINT fk_governance_votes_proposal_id_governance_proposals FOREIGN KEY (proposal_id) REFERENCES public.governance_proposals(id);


--
-- Name: ledger_lines fk_ledger_lines_account_id_ledger_accounts; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ledger_lines
    ADD CONSTRAINT fk_ledger_lines_account_id_ledger_accounts FOREIGN KEY (account_id) REFERENCES public.ledger_accounts(id);


--
-- Name: ledger_lines fk_ledger_lines_entry_id_ledger_entries; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ledger_lines
    ADD CONSTRAINT fk_ledger_lines_entry_id_ledger_entries FOREIGN KEY (entry_id) REFERENCES public.ledger_entries(id);


--
-- Name: password_resets fk_password_resets_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.password_resets
    ADD CONSTRAINT fk_password_resets_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: refresh_tokens fk_refresh_tokens_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.refresh_tokens
    ADD CONSTRAINT fk_refresh_tokens_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict FOjTLBNfeS8tah9y00EIAYNZo1yd98bapa3dW90gv8z4hZvCpuxnluROLSTk6JY

