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

-- pandoc reads "{{< var name >}}" as Str "{{<", Space, Str "var", Space, Str "name",
-- Space, Str ">}}", with any punctuation glued to either end (Quarto too, in the
-- document's metadata). Each such run is replaced by what replace(name, tokens)
-- returns for it, the punctuation kept; a "{{<" that starts no var shortcode fails.
function M.replace_var_shortcodes(inlines, replace)
  local out = pandoc.Inlines({})
  local i = 1
  while i <= #inlines do
    local el = inlines[i]
    local prefix = el.t == "Str" and el.text:match("^(.-){{<$")
    local name_el, close = inlines[i + 4], inlines[i + 6]
    if
      prefix
      and inlines[i + 1] and inlines[i + 1].t == "Space"
      and inlines[i + 2] and inlines[i + 2].t == "Str" and inlines[i + 2].text == "var"
      and inlines[i + 3] and inlines[i + 3].t == "Space"
      and name_el and name_el.t == "Str"
      and inlines[i + 5] and inlines[i + 5].t == "Space"
      and close and close.t == "Str" and close.text:match("^>}}")
    then
      local name = name_el.text
      local tokens = pandoc.Inlines({ pandoc.Str("{{<") })
      for k = i + 1, i + 5 do
        tokens:insert(inlines[k])
      end
      tokens:insert(pandoc.Str(">}}"))
      if prefix ~= "" then
        out:insert(pandoc.Str(prefix))
      end
      out:insert(replace(name, tokens))
      if close.text:sub(4) ~= "" then
        out:insert(pandoc.Str(close.text:sub(4)))
      end
      i = i + 7
    else
      if el.t == "Str" and el.text:match("{{<") then
        M.fail("malformed shortcode near '" .. el.text .. "'; write {{< var name >}}")
      end
      out:insert(el)
      i = i + 1
    end
  end
  return out
end

return M
