-- wrk script: POST the body in BODY_FILE as JSON, as a webhook delivery does (the baseline).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json; charset=utf-8"
local file = assert(io.open(os.getenv("BODY_FILE"), "r"))
wrk.body = file:read("*a"):gsub("\n$", "")
wrk.headers["Cordon-Signature"] = os.getenv("SIGNATURE")
file:close()
