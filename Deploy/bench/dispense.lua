-- wrk script: POST one-tablet dispenses, each for a medication drawn from MEDS (comma-separated ids).
dofile("Deploy/bench/auth.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local ids = {}
for id in string.gmatch(os.getenv("MEDS"), "%d+") do table.insert(ids, id) end
local location = os.getenv("LOCATION")

request = function()
  local id = ids[math.random(#ids)]
  return wrk.format(nil, nil, nil,
    '{"locationId":' .. location .. ',"medicationId":' .. id .. ',"quantity":1,"reason":"benchmark"}')
end
