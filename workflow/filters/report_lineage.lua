--[[
report_lineage.lua — where each number of the prose comes from, under both engines.

It runs once the numbers are in the text (under Quarto `at: post-render`, after
Quarto has resolved the shortcodes and numbered the figures; the pandoc fallback
runs it from report.lua) and finds them as spans of class lineage with var=<name>.
From reports/_build/lineage.json (the lineage-file setting, else _build/lineage.json beside the
document) each number becomes:

  - in HTML, a button whose popover (reports/lineage.js) shows where it comes
    from, drawn from the lineage embedded once in the page;
  - in Typst, a link to its line in the appendix "Where each number comes from",
    which is added at the end with the pages each number is on.

A number and its unit stay on one line, and so do a number and the punctuation
against it. Without a lineage file (a document outside the pipeline) numbers are
printed plainly.
--]]

package.path = pandoc.path.directory(PANDOC_SCRIPT_FILE) .. "/?.lua;" .. package.path
local common = require("report_common")
local fail, typst_string, html_escape = common.fail, common.typst_string, common.html_escape
local is_html, is_typst = common.is_html, common.is_typst

local lineage = nil -- variable name → what a reader is shown of its lineage
local quoted = {} -- variable names in order of first appearance
local seen = {}

local function load_lineage(meta)
  local given = meta["lineage-file"] and pandoc.utils.stringify(meta["lineage-file"])
  local path = given or "_build/lineage.json"
  if not given then
    local handle = io.open(path, "rb")
    if not handle then
      return
    end
    handle:close()
  end
  local parsed = pandoc.json.decode(common.read_file(path), false)
  if type(parsed) ~= "table" or type(parsed.records) ~= "table" then
    fail(path .. " holds no lineage records")
  end
  lineage = {}
  for name, record in pairs(parsed.records) do
    lineage[name] = record.reader
  end
end

-- Units ----------------------------------------------------------------------

-- A number and its unit stay on one line: "46.04 %" and "12 EH/s" are joined by a
-- no-break space.
local UNITS = { ["%"] = true, ["EH/s"] = true, ["TH/s"] = true, ["J/TH"] = true, ["USD"] = true }

local function is_gap(inline)
  return inline.t == "Space" or inline.t == "SoftBreak"
end

local function is_unit(inline)
  return inline.t == "Str" and UNITS[inline.text:match("^[%%%a/]+") or ""]
end

local function bind_units(inlines)
  for i = #inlines - 2, 1, -1 do
    local number, gap, unit = inlines[i], inlines[i + 1], inlines[i + 2]
    if is_gap(gap) and is_unit(unit) then
      if number.t == "Span" and number.classes:includes("lineage")
        and pandoc.utils.stringify(number):match("%d$") then
        inlines[i + 1] = pandoc.Str("\u{a0}")
      elseif number.t == "Str" and number.text:match("%d$") then
        inlines[i] = pandoc.Str(number.text .. "\u{a0}" .. unit.text)
        inlines:remove(i + 2)
        inlines:remove(i + 1)
      end
    end
  end
  return inlines
end

-- Numbers --------------------------------------------------------------------

-- A value longer than this (a list of names) may break across lines: held on one
-- line with its punctuation, it would run out of a phone's column.
local KEEP_AT_MOST = 24

-- The number as a reader meets it: a button (HTML), a link to the appendix (Typst).
local function lineage_number(span)
  if not span.classes:includes("lineage") then
    return nil
  end
  local name = span.attributes["var"]
  local value = pandoc.utils.stringify(span)
  if name == nil or not name:match("^[%w_]+$") then
    fail("a number marked for lineage needs var=<name>, near '" .. value .. "'")
  end
  -- What Quarto prints for a name _variables.yml lacks (with a warning only).
  if value:match("^%?var:") then
    fail("unknown variable '" .. name .. "' in {{< var " .. name .. " >}}")
  end
  if lineage == nil then
    return pandoc.Str(value)
  end
  if lineage[name] == nil then
    fail("variable '" .. name .. "' has no lineage record in the lineage file")
  end
  if not seen[name] then
    seen[name] = true
    table.insert(quoted, name)
  end
  if is_html then
    -- A long value (a list of names) must wrap like the words around it, which a
    -- button, always an inline block, cannot: it gets an inline element that acts as
    -- one (reports/lineage.js gives it the keys of a button).
    local tag = utf8.len(value) > KEEP_AT_MOST and "span" or "button"
    local role = tag == "span" and 'role="button" tabindex="0"' or 'type="button"'
    return pandoc.RawInline(
      "html",
      string.format(
        '<%s %s class="lineage-num" data-var="%s" aria-expanded="false" '
          .. 'aria-label="%s: where this number comes from">%s</%s>',
        tag,
        role,
        name,
        html_escape(value),
        html_escape(value),
        tag
      )
    )
  end
  if is_typst then
    return pandoc.RawInline(
      "typst",
      "#lineage-num(<lineage-" .. name .. ">, " .. typst_string(value) .. ")<num-" .. name .. ">"
    )
  end
  return pandoc.Str(value)
end

-- A number's button and the punctuation against it ("24 September 2021," or "(46.04 %")
-- held on one line: the line may break before or after the button, an inline block,
-- which would leave a comma at the start of a line or a bracket at the end of one.
-- ASCII marks only: a Lua pattern matches bytes, not the characters of UTF-8.
local CLOSING = "^[%.,;:!%?%)%]]+"
local OPENING = "[%(%[]+$"

local function is_number_button(inline)
  return inline.t == "RawInline" and inline.format == "html"
    and inline.text:match('^<button type="button" class="lineage%-num"')
end

local function keep_punctuation(inlines)
  local out = pandoc.Inlines({})
  local i = 1
  while i <= #inlines do
    local inline, after = inlines[i], inlines[i + 1]
    local before = out[#out]
    local opening = is_number_button(inline) and before and before.t == "Str" and before.text:match(OPENING)
    local closing = is_number_button(inline) and after and after.t == "Str" and after.text:match(CLOSING)
    if opening or closing then
      if opening then
        local rest = before.text:sub(1, #before.text - #opening)
        out:remove(#out)
        if rest ~= "" then
          out:insert(pandoc.Str(rest))
        end
      end
      out:insert(pandoc.RawInline("html", '<span class="lineage-keep">'))
      if opening then
        out:insert(pandoc.Str(opening))
      end
      out:insert(inline)
      if closing then
        out:insert(pandoc.Str(closing))
      end
      out:insert(pandoc.RawInline("html", "</span>"))
      if closing then
        local rest = after.text:sub(#closing + 1)
        if rest ~= "" then
          out:insert(pandoc.Str(rest))
        end
        i = i + 1
      end
    else
      out:insert(inline)
    end
    i = i + 1
  end
  return out
end

-- The lineage of the numbers this page quotes, once, for reports/lineage.js.
local function lineage_data()
  local used = {}
  for _, name in ipairs(quoted) do
    used[name] = lineage[name]
  end
  return pandoc.RawBlock(
    "html",
    '<script type="application/json" id="lineage-data">' .. common.inline_json(pandoc.json.encode(used)) .. "</script>"
  )
end

-- The appendix of the PDF ------------------------------------------------------

-- One appendix line: the number, its pages, formula, table and rows, raw lines, source.
local function appendix_entry(name)
  local reader = lineage[name]
  local parts = {}
  for _, tbl in ipairs(reader.tables or {}) do
    local labels = {}
    for i = 1, math.min(2, #(tbl.labels or {})) do
      labels[i] = tbl.labels[i]
    end
    local rows = table.concat(labels, "; ")
    if (tbl.count or 0) > #labels then
      rows = rows .. "; " .. string.format("%d", tbl.count - #labels) .. " more"
    end
    local title = tbl.title:match("^([^,:]+)") or tbl.title
    table.insert(parts, title .. ": " .. rows)
  end
  local filter = type(reader.filter) == "string" and reader.filter ~= "" and reader.filter or nil
  local raw = {}
  for _, item in ipairs(reader.raw or {}) do
    table.insert(raw, item.short .. ", " .. item.lines)
  end
  return "#lineage-entry("
    .. typst_string(name) .. ", "
    .. typst_string(reader.value) .. ", "
    .. typst_string(reader.formula .. (filter and (" (" .. filter .. ")") or "")) .. ", "
    .. typst_string(table.concat(parts, ". ")) .. ", "
    .. typst_string(#raw > 0 and table.concat(raw, "; ") or "none: no listing in those months") .. ", "
    .. typst_string(table.concat(reader.short_sources or {}, "; "))
    .. ")<lineage-" .. name .. ">"
end

local function lineage_appendix()
  local blocks = {
    pandoc.RawBlock("typst", "#heading(level: 1, numbering: none)[Where each number comes from]"),
    pandoc.Para({
      pandoc.Str("Each number quoted in the text, in the order it first appears: the pages it is on, "
        .. "what it is, the cleaned table and rows it was computed from, the lines of the raw data "
        .. "behind them (the header is line 1) and their source. In the text, each number links here."),
    }),
    pandoc.RawBlock("typst", "#columns(2, gutter: 1.4em)["),
  }
  for _, name in ipairs(quoted) do
    table.insert(blocks, pandoc.RawBlock("typst", appendix_entry(name)))
  end
  table.insert(blocks, pandoc.RawBlock("typst", "]"))
  return blocks
end

local function report_lineage(doc)
  load_lineage(doc.meta)
  doc = doc:walk({ Inlines = bind_units })
  doc = doc:walk({ Span = lineage_number })
  if is_html and lineage ~= nil then
    doc = doc:walk({ Inlines = keep_punctuation })
  end
  if is_html and #quoted > 0 then
    doc.blocks:insert(lineage_data())
  elseif is_typst and #quoted > 0 then
    doc.blocks:extend(lineage_appendix())
  end
  return doc
end

-- A filter list: Quarto runs it as a filter file, report.lua requires it.
return { { Pandoc = report_lineage } }
