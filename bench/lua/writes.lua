-- The write case: logged-in users post comments, each request a unique body.
--   wrk -s writes.lua URL -- PATH USERS_FILE TAG
-- USERS_FILE has one user a line: "<Cookie header>\t<CSRF token>\t<address>"
-- (prepared by bench/run.py, which logged each user in through the real form).
-- Requests cycle through the users; the body carries TAG, the thread and a
-- counter, so no two are equal (the blog refuses a double post). Every
-- answer's status is counted, and each 303's Location names the comment it
-- acknowledged (#comment-<id>): the bench then checks each of those ids is
-- stored.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local users = {}
local path, tag
local counter = 0
local threads = {}
statuses = {}
acknowledged = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  path, tag = args[1], args[3]
  for line in io.lines(args[2]) do
    local cookie, token, address = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)$")
    if cookie then
      table.insert(users, { cookie = cookie, token = token, address = address })
    end
  end
end

function request()
  counter = counter + 1
  local user = users[(counter + thread_number) % #users + 1]
  local body = "csrf_token=" .. user.token .. "&body=Bench+comment+" .. tag
    .. "+" .. thread_number .. "+" .. counter
  return wrk.format("POST", path, {
    ["Cookie"] = user.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Forwarded-For"] = user.address,
  }, body)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  local id = (headers["Location"] or ""):match("#comment%-(%d+)$")
  if status == 303 and id then
    table.insert(acknowledged, id)
  end
end

done = function(summary, latency, requests)
  local merged, ids = {}, {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      merged[status] = (merged[status] or 0) + count
    end
    for _, id in ipairs(thread:get("acknowledged") or {}) do
      table.insert(ids, id)
    end
  end
  local parts = {}
  for status, count in pairs(merged) do
    table.insert(parts, string.format('"%s": %d', status, count))
  end
  io.write("WRK_JSON " .. wrk_json(summary, latency)
    .. ', "statuses": {' .. table.concat(parts, ", ") .. "}"
    .. ', "acknowledged_ids": [' .. table.concat(ids, ", ") .. "]}\n")
end
