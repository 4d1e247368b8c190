// Compiles a JSON Schema with Ajv, which generates the validator's code at
// run time (`new Function`), then validates a document with every error.
import Ajv from "ajv";

export function run(input) {
  const { schema, data } = JSON.parse(input);
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  const valid = validate(data);
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
  return JSON.stringify({ valid, errors });
}
