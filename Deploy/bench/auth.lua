-- wrk script (and the start of the others): the header in BENCH_HEADER ("Authorization: Bearer
-- ..." or "Cookie: ..."), read from the environment since a command line is visible in `ps`.
local header = os.getenv("BENCH_HEADER")
if header then
  local name, value = header:match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end
