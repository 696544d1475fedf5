--[[
report_common.lua — helpers the report's filters share (a module, not a filter).

Each filter puts its own folder on Lua's module path before it requires this one:
pandoc and Quarto both name the running filter in PANDOC_SCRIPT_FILE.
--]]

local M = {}

M.in_quarto = type(quarto) == "table" and quarto.version ~= nil
M.is_html = FORMAT:match("html") ~= nil
M.is_typst = FORMAT:match("typst") ~= nil

-- One line on standard error, then the render stops.
function M.fail(message)
  io.stderr:write("report filter: " .. message .. "\n")
  os.exit(1)
end

-- A path the document names must stay inside the report folder: no absolute
-- paths, no URLs, no "..".
function M.safe_path(path, what, id)
  if path == nil or path == "" then
    M.fail("#" .. id .. " has no " .. what .. " attribute")
  end
  if path:match("^/") or path:match("^%a+:") or path:match("%.%.") or path:match("\\") then
    M.fail("#" .. id .. ": " .. what .. " path '" .. path .. "' points outside the report folder")
  end
  return path
end

function M.read_file(path)
  local handle = io.open(path, "rb")
  if not handle then
    M.fail("cannot read " .. path)
  end
  local text = handle:read("a")
  handle:close()
  return text
end

-- A Typst string literal holding `text`.
function M.typst_string(text)
  return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"') .. '"'
end

function M.html_escape(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

-- Inside <script type="application/json"> nothing may read as "</script" or
-- "<!--": escaping every "<" (JSON allows \u003c in strings) rules both out.
function M.inline_json(text)
  return (text:gsub("<", "\\u003c"))
end

-- A number of the prose, marked so that its lineage can be shown: the span holds
-- the value (or, under Quarto before shortcodes run, the shortcode giving it).
function M.number_span(name, content)
  return pandoc.Span(content, pandoc.Attr("", { "lineage" }, { var = name }))
end

-- A {{< var name >}} shortcode as pandoc reads it, words apart and any punctuation
-- glued to either end, in either of the document's spellings: {{< var name >}} in
-- the front matter (YAML's markdown would read the other as an HTML tag) and
-- {{<var name >}} in the body (Quarto and pandoc read it several times faster).
-- Returns the text before it, the name, the text after it and how many inlines it
-- spans, or nil.
local function match_var_shortcode(inlines, i)
  local first = inlines[i]
  if first.t ~= "Str" or not first.text:find("{{<", 1, true) then
    return nil
  end
  local text = ""
  for k = i, math.min(i + 6, #inlines) do
    local el = inlines[k]
    if el.t == "Str" then
      text = text .. el.text
    elseif el.t == "Space" then
      text = text .. " "
    else
      return nil
    end
    if el.t == "Str" and el.text:find(">}}", 1, true) then
      local prefix, name, suffix = text:match("^(.-){{< ?var ([%w_%-]+) >}}(.*)$")
      if prefix then
        return prefix, name, suffix, k - i + 1
      end
      return nil
    end
  end
  return nil
end

-- Each var shortcode in ``inlines`` is replaced by what replace(name) returns for it,
-- the punctuation around it kept; a "{{<" that starts no var shortcode fails.
function M.replace_var_shortcodes(inlines, replace)
  local out = pandoc.Inlines({})
  local i = 1
  while i <= #inlines do
    local prefix, name, suffix, span = match_var_shortcode(inlines, i)
    if prefix then
      if prefix ~= "" then
        out:insert(pandoc.Str(prefix))
      end
      out:insert(replace(name))
      if suffix ~= "" then
        out:insert(pandoc.Str(suffix))
      end
      i = i + span
    else
      local el = inlines[i]
      if el.t == "Str" and el.text:match("{{<") then
        M.fail("malformed shortcode near '" .. el.text .. "'; write {{<var name >}}")
      end
      out:insert(el)
      i = i + 1
    end
  end
  return out
end

return M
