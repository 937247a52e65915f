-- wrk script: POST a negative nucleic-acid test for a patient drawn from PATIENTS (comma-separated
-- ids) of site SITE, sampled at SAMPLED_AT.
dofile("Deploy/bench/auth.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local ids = {}
for id in string.gmatch(os.getenv("PATIENTS"), "%d+") do table.insert(ids, id) end
local site = os.getenv("SITE")
local body = '{"sampledAt":"' .. os.getenv("SAMPLED_AT") .. '","result":"negative"}'

request = function()
  return wrk.format(nil, "/sites/" .. site .. "/patients/" .. ids[math.random(#ids)] .. "/test-results", nil, body)
end
