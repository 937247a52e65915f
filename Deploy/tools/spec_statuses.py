#!/usr/bin/env python3
"""Adds to every operation of openapi.yaml the error statuses it can answer, by what it takes.

Run after adding an operation: `.local/venv/bin/python Deploy/tools/spec_statuses.py`. The
HTTP tests check every status they see against the spec, so a missing one fails there.

- 400 when it takes parameters or a body (a malformed one, a parameter outside its schema);
- 401 unless `security: []`; 403 for every signed-in operation but /me;
- 404 when it names a record in its path;
- 409 for every write (a duplicate, a state clash); 412 and 428 when it takes If-Match;
- 413 and 422 when it takes a body; 422 when it takes query parameters (a rule between them);
- 503 for every operation that needs the database (all but /health/live).
"""
import re, sys, yaml

path = sys.argv[1] if len(sys.argv) > 1 else "Sources/CordonAPI/openapi.yaml"
text = open(path).read()
spec = yaml.safe_load(text)
parameters = spec["components"]["parameters"]
refs = {
    "400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound", "409": "Conflict",
    "412": "PreconditionFailed", "413": "PayloadTooLarge", "422": "Unprocessable", "428": "PreconditionRequired",
    "503": "ServiceUnavailable",
}

def resolved(p):
    return parameters[p["$ref"].split("/")[-1]] if "$ref" in p else p

wanted = {}
for route, item in spec["paths"].items():
    shared = [resolved(p) for p in item.get("parameters", [])]
    for method, op in item.items():
        if method == "parameters":
            continue
        params = shared + [resolved(p) for p in op.get("parameters", [])]
        need = set()
        secured = op.get("security", None) != []
        body = "requestBody" in op
        if params or body: need.add("400")
        if secured:
            need.add("401")
            if route != "/me": need.add("403")
        if any(p["in"] == "path" for p in params): need.add("404")
        if method in ("post", "put", "patch", "delete") and route not in ("/check-ins",): need.add("409")
        if any(p["in"] == "header" and p["name"] == "If-Match" for p in params): need |= {"412", "428"}
        if body: need |= {"413", "422"}
        if any(p["in"] == "query" for p in params): need.add("422")
        if route != "/health/live": need.add("503")
        wanted[op["operationId"]] = need - set(str(k) for k in (op.get("responses") or {}))

lines = text.split("\n")
out = []
i = 0
current = None
while i < len(lines):
    line = lines[i]
    m = re.match(r"^\s+operationId: (\w+)", line)
    if m: current = m.group(1)
    out.append(line)
    if current and re.match(r"^      responses:\s*$", line):
        # the block's entries (one per status, with their continuation lines), the missing
        # ones added, all in status order
        i += 1
        entries = []
        while i < len(lines) and (lines[i].startswith("        ") or lines[i].strip() == ""):
            if re.match(r"^        '\d{3}'", lines[i]) or not entries:
                entries.append([lines[i]])
            else:
                entries[-1].append(lines[i])
            i += 1
        for status in wanted.get(current, ()):
            entries.append([f"        '{status}': {{$ref: '#/components/responses/{refs[status]}'}}"])
        entries.sort(key=lambda e: e[0].strip()[1:4])
        for entry in entries:
            out.extend(entry)
        current = None
        continue
    i += 1
result = "\n".join(out)
for name, description in [("ServiceUnavailable", "The database cannot be reached, or did not answer in time; retry after `Retry-After` seconds."),
                          ("PayloadTooLarge", "The body is larger than this endpoint accepts (1 MiB of JSON, 8 MiB of CSV by default).")]:
    if f"\n    {name}:\n" not in result:
        result = result.replace("\n  responses:\n", f"""
  responses:
    {name}:
      description: {description}
      content:
        application/problem+json:
          schema: {{$ref: '#/components/schemas/Problem'}}
""", 1)
open(path, "w").write(result)
print(f"added {sum(len(v) for v in wanted.values())} responses to {len([k for k, v in wanted.items() if v])} operations")
