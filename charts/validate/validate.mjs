// Validates every object of a multi-document manifest (stdin, as `helm template` prints it)
// against the Kubernetes API schema shipped by kubernetes-models (generated from the Kubernetes
// OpenAPI document) and, for ServiceMonitor/PodMonitor, by @kubernetes-models/prometheus-operator
// (generated from the operator's CRDs): required fields, types, formats and enums.
// Prints one line per error and exits 1 when there is any, 0 otherwise.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// Where each API group's models live; a kind of any other group is an error, not a pass.
const packages = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

async function modelFor(apiVersion, kind) {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  const base = packages[group] ?? "kubernetes-models";
  try {
    const module = await import(`${base}/${apiVersion}`);
    return module[kind];
  } catch {
    return undefined;
  }
}

const errors = [];
// YAML 1.1, as kubectl and the API server read manifests (sigs.k8s.io/yaml on go-yaml v2).
for (const doc of parseAllDocuments(readFileSync(0, "utf8"), { version: "1.1" })) {
  if (doc.errors.length > 0) {
    errors.push(`YAML: ${doc.errors[0].message}`);
    continue;
  }
  const object = doc.toJS();
  if (object === null) {
    continue;
  }
  const where = `${object.kind ?? "?"}/${object.metadata?.name ?? "?"}`;
  const Model = object.apiVersion && object.kind ? await modelFor(object.apiVersion, object.kind) : undefined;
  if (!Model) {
    errors.push(`${where}: no schema for apiVersion ${object.apiVersion} kind ${object.kind}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (e) {
    for (const detail of e.errors ?? [{ instancePath: "", message: e.message }]) {
      errors.push(`${where}: ${detail.instancePath || "/"} ${detail.message} ${JSON.stringify(detail.params ?? {})}`);
    }
  }
}
for (const line of errors) {
  console.log(line);
}
process.exit(errors.length > 0 ? 1 : 0);
