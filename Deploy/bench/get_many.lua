-- wrk script: GET PATH_PREFIX .. id for an id drawn from IDS (comma-separated).
dofile("Deploy/bench/auth.lua")
local ids = {}
for id in string.gmatch(os.getenv("IDS"), "%d+") do table.insert(ids, id) end
local prefix = os.getenv("PATH_PREFIX")

request = function()
  return wrk.format(nil, prefix .. ids[math.random(#ids)])
end
