// Starts @firestore-emulator/server (npm, 0.3.15) bound to one address, not 0.0.0.0:
// its own start(port) binds 0.0.0.0, so we bind its gRPC server object ourselves.
//
// Usage: node firestore_main.cjs <dir holding node_modules> [host=127.0.0.1] [port=0]
// Prints "READY <port>" once listening; SIGTERM/SIGINT stop it, and so does the end of the
// process that started it (a killed test session leaves no stand-in behind).
//
// Three fixes where 0.3.15 departs from Firestore (the contract tests would otherwise
// test the stand-in's bugs, not our adapter); see docs/decisions/0003-gcp-stand-ins.md:
//  1. A write without an update mask (DocumentReference.set, no merge) REPLACES the
//     document; 0.3.15 merges the new fields into the old ones.
//  2. Queries filter and order on nested field paths ("meta.score"); 0.3.15 throws
//     "Not implemented" for any path with a dot.
//  3. A commit whose precondition fails (create of an existing document, update of a
//     missing one) applies NO write; 0.3.15 applies the writes before the failing one.
"use strict";
const path = require("node:path");
const { createRequire } = require("node:module");

const [dir, host = "127.0.0.1", port = "0"] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node firestore_main.cjs <dir with node_modules> [host] [port]");
  process.exit(2);
}
const fromDir = createRequire(path.join(path.resolve(dir), "package.json"));
const serverEntry = fromDir.resolve("@firestore-emulator/server");
const { FirestoreServer, FirestoreStateDocument } = fromDir(serverEntry);
// The grpc-js the server package itself uses (its classes are checked by identity).
const grpc = createRequire(serverEntry)("@grpc/grpc-js");

// 1. set() without a mask replaces.
const mergingSet = FirestoreStateDocument.prototype.set;
FirestoreStateDocument.prototype.set = function set(date, fields, updateMask) {
  if (!updateMask || updateMask.length === 0) {
    this.fields = {};
  }
  return mergingSet.call(this, date, fields, updateMask);
};

// 2. Dotted field paths walk into map values (backquoted segments kept whole).
const topLevelField = FirestoreStateDocument.prototype.getField;
FirestoreStateDocument.prototype.getField = function getField(fieldPath) {
  if (!fieldPath.includes(".")) {
    return topLevelField.call(this, fieldPath);
  }
  const segments = fieldPath.match(/`(?:[^`\\]|\\.)*`|[^.]+/g) || [];
  let field = { type: "map_value", value: this.fields };
  for (const raw of segments) {
    const key = raw.startsWith("`") ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw;
    if (!field || field.type !== "map_value") {
      return undefined;
    }
    field = field.value[key];
  }
  return field;
};

// 3. Check every write's precondition before the commit applies any.
let state = null;
function preconditionError(writes) {
  const exists = new Map();
  for (const write of writes) {
    const name = write.has_update ? write.update.name : write.has_delete ? write.delete : null;
    if (!name) {
      continue;
    }
    const now = exists.has(name) ? exists.get(name) : state.getDocument(name).metadata.hasExist;
    if (write.has_current_document && write.current_document.has_exists) {
      if (!write.current_document.exists && now) {
        return { code: grpc.status.ALREADY_EXISTS, details: `entity already exists: ${name}` };
      }
      if (write.current_document.exists && !now) {
        return { code: grpc.status.NOT_FOUND, details: `no entity to update: ${name}` };
      }
    }
    exists.set(name, Boolean(write.has_update));
  }
  return null;
}
const addService = grpc.Server.prototype.addService;
grpc.Server.prototype.addService = function (service, implementation) {
  if (typeof implementation.Commit !== "function") {
    return addService.call(this, service, implementation);
  }
  function Commit(call, callback) {
    const error = state && preconditionError(call.request.writes);
    if (error) {
      callback({ ...error, message: error.details, name: "Error" }, null);
      return;
    }
    implementation.Commit(call, callback);
  }
  // Its methods use private fields: they must keep the implementation as `this`.
  const atomic = new Proxy(implementation, {
    get(target, prop) {
      if (prop === "Commit") {
        return Commit;
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return addService.call(this, service, atomic);
};

const emulator = new FirestoreServer();
state = emulator.state;
emulator.server.bindAsync(
  `${host}:${port}`,
  grpc.ServerCredentials.createInsecure(),
  (err, bound) => {
    if (err) {
      console.error(`cannot bind ${host}:${port}: ${err.message}`);
      process.exit(1);
    }
    console.log(`READY ${bound}`);
  },
);

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    emulator.stop();
    process.exit(0);
  });
}

const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) {
    emulator.stop();
    process.exit(0);
  }
}, 500).unref();
