-- wrk: POST an enrolment per request, each with another resident's bearer token.
-- Arguments: the tokens file (one a line), the course ids (comma-separated), wrk's thread count.
-- Each thread takes every n-th token, so no resident enrols twice.
dofile("report.lua")

local threads = 0
function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  tokens, courses, position = {}, {}, 0
  local count, line_number = tonumber(args[3]), 0
  for line in io.lines(args[1]) do
    if line_number % count == thread_number then table.insert(tokens, line) end
    line_number = line_number + 1
  end
  for id in string.gmatch(args[2], "%d+") do table.insert(courses, id) end
end

function request()
  position = position + 1
  local token = tokens[(position - 1) % #tokens + 1]  -- past the end: repeats, answered 4xx
  local course = courses[(position - 1) % #courses + 1]
  return wrk.format("POST", "/api/v1/courses/" .. course .. "/enrolments",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, "{}")
end
