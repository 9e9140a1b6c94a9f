// Validates Kubernetes manifests against the Kubernetes OpenAPI schema, offline:
//   node validate.mjs FILE.yaml...                 every object of every file; exit 1 naming each problem
//   node validate.mjs --container JOB_NAME FILE    prints that Job's first container (command, args, env) as JSON
// Two checks per object: kubernetes-models' validators compiled from the API's OpenAPI schema (types,
// enums, required fields, formats), and a strict walk with @kubernetes/client-node's models that
// refuses any field the API does not define, as `kubectl apply` (strict field validation) would.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import * as k8s from "@kubernetes/client-node";

function load(file) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  const objects = [];
  for (const d of docs) {
    if (d.errors.length > 0) throw new Error(`${file}: YAML: ${d.errors.map(e => e.message).join("; ")}`);
    const o = d.toJS();
    if (o !== null && o !== undefined) objects.push(o);
  }
  return objects;
}

const PRIMITIVE = new Set(["string", "number", "boolean", "any", "object", "Date", "IntOrString"]);

/** Fields the API does not define, under `path`, for a value of client-node model `type`. */
function unknownFields(value, type, path, out) {
  if (value === null || value === undefined || PRIMITIVE.has(type)) return;
  let m = /^Array<(.+)>$/.exec(type);
  if (m) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, m[1], `${path}[${i}]`, out));
    return;
  }
  m = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (m) {
    if (typeof value === "object") for (const [k, v] of Object.entries(value)) unknownFields(v, m[1], `${path}.${k}`, out);
    return;
  }
  const model = k8s[type];
  if (!model || typeof model.getAttributeTypeMap !== "function" || typeof value !== "object" || Array.isArray(value)) return;
  const attrs = new Map(model.getAttributeTypeMap().map(a => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    if (!attrs.has(k)) out.push(`${path}.${k}: unknown field (${type} has ${[...attrs.keys()].join(", ")})`);
    else unknownFields(v, attrs.get(k), `${path}.${k}`, out);
  }
}

async function validate(file, o, n) {
  const where = `${file}: object ${n} (${o.kind ?? "no kind"} ${o.metadata?.name ?? ""})`;
  if (typeof o.apiVersion !== "string" || typeof o.kind !== "string") return [`${where}: apiVersion and kind are required`];
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : [null, o.apiVersion];
  let Model;
  try {
    Model = (await import(`kubernetes-models/${group ? group + "/" : ""}${version}/${o.kind}`))[o.kind];
  } catch {
    return [`${where}: ${o.apiVersion} ${o.kind} is not a Kubernetes API type`];
  }
  const problems = [];
  try {
    new Model(o).validate();
  } catch (e) {
    problems.push(`${where}: ${e.message}`);
  }
  const clientType = version.charAt(0).toUpperCase() + version.slice(1) + o.kind;
  const unknown = [];
  unknownFields(o, clientType, "", unknown);
  unknown.forEach(u => problems.push(`${where}: ${u.slice(1)}`));
  return problems;
}

const args = process.argv.slice(2);
if (args[0] === "--container") {
  const [, name, file] = args;
  const job = load(file).find(o => o.kind === "Job" && o.metadata?.name === name);
  if (!job) { console.error(`${file}: no Job named ${name}`); process.exit(2); }
  const c = job.spec.template.spec.containers[0];
  console.log(JSON.stringify({ command: c.command ?? [], args: c.args ?? [], env: c.env ?? [],
    completions: job.spec.completions ?? 1, completionMode: job.spec.completionMode ?? "NonIndexed" }));
  process.exit(0);
}
if (args.length === 0) { console.error("usage: node validate.mjs FILE.yaml... | --container JOB_NAME FILE"); process.exit(2); }
let bad = 0;
for (const file of args) {
  let objects;
  try {
    objects = load(file);
  } catch (e) {
    console.error(e.message); bad++; continue;
  }
  let n = 0, problems = [];
  for (const o of objects) problems.push(...await validate(file, o, ++n));
  problems.forEach(p => console.error(p));
  bad += problems.length;
  if (problems.length === 0) console.log(`${file}: ${objects.length} objects valid (${objects.map(o => o.kind).join(", ")})`);
}
process.exit(bad > 0 ? 1 : 0);
