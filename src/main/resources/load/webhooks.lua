-- wrk script: sends the pre-signed WhatsApp webhooks of a file written by `steadfast load wrk`, each once.
-- Usage: wrk -t T -c C -d D -s webhooks.lua URL -- FILE T
-- Thread i of T takes lines i, i+T, i+2T... ("signature<TAB>body"), so no two threads send the same webhook.
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

local signatures, bodies, next_index = {}, {}, 0

function init(args)
  local file, threads = args[1], tonumber(args[2])
  local line_number = 0
  for line in io.lines(file) do
    if line_number % threads == id then
      local tab = line:find("\t", 1, true)
      signatures[#signatures + 1] = line:sub(1, tab - 1)
      bodies[#bodies + 1] = line:sub(tab + 1)
    end
    line_number = line_number + 1
  end
end

function request()
  next_index = next_index + 1
  if next_index > #bodies then
    next_index = 1 -- from here on every webhook is a duplicate: write more with --count
  end
  return wrk.format("POST", "/webhooks/whatsapp",
      { ["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = signatures[next_index] }, bodies[next_index])
end

function done(summary, latency, requests)
  local statuses = summary.errors.status
  io.write(string.format("non-2xx answers: %d, socket errors: %d\n", statuses,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
