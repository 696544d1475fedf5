--[[
report.lua — what the report needs from a renderer beyond plain pandoc.

Under plain pandoc (the fallback engine) this filter supplies three things:
  1. {{< var name >}} shortcodes, resolved from the DAG-written _variables.yml;
  2. numbering of figures (#fig-…) and tables (#tbl-…) and @fig-…/@tbl-… references;
  3. the chart block: ::: {#fig-x .chart spec="…vl.json" pdf="…pdf"} caption :::
     becomes, in HTML, the Vega-Lite spec drawn by vega-embed (the library is
     inlined once in the page header) and, in Typst, the chart's vector PDF;
  4. the table block: ::: {#tbl-x .data-table src="…csv"} caption ::: becomes the
     CSV (written by the DAG) as a table whose cells are plain text.

And under both engines, the lineage of every number (reports/_lineage.json):
  5. each number from _variables.yml becomes, in HTML, a button whose popover
     (reports/lineage.js) shows where it comes from, drawn from the lineage embedded
     once in the page; in Typst, a link to its line in the appendix "Where each
     number comes from", which the filter adds at the end with the pages it is on.
     Under pandoc the filter marks the numbers as it resolves {{< var >}}; under
     Quarto, which resolves shortcodes itself, the renderer wraps each shortcode in
     [ ]{.lineage var=name} first (render.mark_numbers).

Under Quarto, which has shortcodes and cross-references of its own, only the
chart and table blocks and the numbers' lineage are handled; Quarto numbers the
figures and tables.

Run it before --citeproc: citeproc would otherwise read @fig-x as a citation.
--]]

local in_quarto = type(quarto) == "table" and quarto.version ~= nil
local is_html = FORMAT:match("html") ~= nil
local is_typst = FORMAT:match("typst") ~= nil

local variables = {}
local lineage = nil -- variable name → what a reader is shown of its lineage
local quoted = {} -- variable names in order of first appearance
local seen = {}
local numbers = {} -- identifier → number, for fig- and tbl- targets
local kinds = { fig = "Figure", tbl = "Table" }
-- Typst resolves "/…" from its project root; the Python renderer sets this.
local chart_prefix = ""

local function fail(message)
  io.stderr:write("report.lua: " .. message .. "\n")
  os.exit(1)
end

-- A chart path must stay inside the report folder: no absolute paths, no "..".
local function safe_path(path, what, id)
  if path == nil or path == "" then
    fail("chart #" .. id .. " has no " .. what .. " attribute")
  end
  if path:match("^/") or path:match("^%a+:") or path:match("%.%.") or path:match("\\") then
    fail("chart #" .. id .. ": " .. what .. " path '" .. path .. "' points outside the report folder")
  end
  return path
end

local function read_file(path)
  local handle = io.open(path, "rb")
  if not handle then
    fail("cannot read " .. path)
  end
  local text = handle:read("a")
  handle:close()
  return text
end

local function load_variables(meta)
  local path = meta["variables-file"] and pandoc.utils.stringify(meta["variables-file"]) or "_variables.yml"
  local text = read_file(path)
  -- Let pandoc's own YAML reader parse the file, as a metadata block.
  local parsed = pandoc.read("---\n" .. text .. "\n---\n", "markdown").meta
  for key, value in pairs(parsed) do
    variables[key] = pandoc.utils.stringify(value)
  end
end

-- Without a lineage-file setting and without _lineage.json (a document outside the
-- pipeline), numbers are printed plainly.
local function load_lineage(meta)
  local given = meta["lineage-file"] and pandoc.utils.stringify(meta["lineage-file"])
  local path = given or "_lineage.json"
  if not given then
    local handle = io.open(path, "rb")
    if not handle then
      return
    end
    handle:close()
  end
  local parsed = pandoc.json.decode(read_file(path), false)
  if type(parsed) ~= "table" or type(parsed.records) ~= "table" then
    fail(path .. " holds no lineage records")
  end
  lineage = {}
  for name, record in pairs(parsed.records) do
    lineage[name] = record.reader
  end
end

-- A number from _variables.yml, marked so that its lineage can be shown.
local function lineage_span(name, value)
  return pandoc.Span({ pandoc.Str(value) }, pandoc.Attr("", { "lineage" }, { var = name }))
end

-- Variables ------------------------------------------------------------------

-- pandoc reads "{{< var name >}}" as Str "{{<", Space, Str "var", Space,
-- Str "name", Space, Str ">}}", with any punctuation glued to either end.
local function resolve_shortcodes(inlines)
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
      local value = variables[name]
      if value == nil then
        fail("unknown variable '" .. name .. "' in {{< var " .. name .. " >}}")
      end
      if prefix ~= "" then
        out:insert(pandoc.Str(prefix))
      end
      out:insert(lineage_span(name, value))
      if close.text:sub(4) ~= "" then
        out:insert(pandoc.Str(close.text:sub(4)))
      end
      i = i + 7
    else
      if el.t == "Str" and el.text:match("{{<") then
        fail("malformed shortcode near '" .. el.text .. "'; write {{< var name >}}")
      end
      out:insert(el)
      i = i + 1
    end
  end
  return out
end

-- Charts ---------------------------------------------------------------------

-- A Typst string literal holding `text`.
local function typst_string(text)
  return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"') .. '"'
end

local function html_escape(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

-- Inside <script type="application/json"> nothing may read as "</script" or
-- "<!--": escaping every "<" (JSON allows \u003c in strings) rules both out.
local function inline_json(text)
  return (text:gsub("<", "\\u003c"))
end

-- The chart's text alternative: the description the pipeline wrote into its spec
-- from the data (what it shows, its range, its key finding), else the caption.
local function chart_description(spec_text, div)
  local ok, spec = pcall(pandoc.json.decode, spec_text, false)
  if ok and type(spec) == "table" and type(spec.description) == "string" and spec.description ~= "" then
    return spec.description
  end
  return div.attributes["alt"] or pandoc.utils.stringify(div.content)
end

-- What the chart draws, as its spec's usermeta says ("the <table> table, <rows>"), or nil.
local function chart_source(spec_text)
  local ok, spec = pcall(pandoc.json.decode, spec_text, false)
  if ok and type(spec) == "table" and type(spec.usermeta) == "table" then
    local source = spec.usermeta.data_source
    if type(source) == "string" and source ~= "" then
      return source
    end
  end
  return nil
end

-- The words of a chart's data link: the file's kind, and the table and rows it holds.
local function data_link_text(source)
  if source then
    return "Data for this chart (CSV): " .. source
  end
  return "Data for this chart (CSV)"
end

local function chart_html(id, spec_text, description, csv)
  local spec = inline_json(spec_text)
  local link = ""
  if csv then
    link = string.format(
      '\n<p class="chart-data"><a href="%s" download>%s</a></p>',
      html_escape(csv),
      html_escape(data_link_text(chart_source(spec_text)))
    )
  end
  return pandoc.RawBlock(
    "html",
    string.format(
      '<div class="vega-chart" id="%s-view" role="img" aria-label="%s"></div>\n'
        .. '<script type="application/json" id="%s-spec">%s</script>\n'
        .. "<script>reportChart(%q, %q);</script>%s",
      id,
      html_escape(description),
      id,
      spec,
      "#" .. id .. "-view",
      id .. "-spec",
      link
    )
  )
end

local function chart_content(div)
  local id = div.identifier
  if not id:match("^[%w%-_]+$") then
    fail("chart identifier '" .. id .. "' may hold only letters, digits, - and _")
  end
  local spec_path = safe_path(div.attributes["spec"], "spec", id)
  local spec_text = read_file(spec_path)
  local description = chart_description(spec_text, div)
  if is_html then
    local csv = div.attributes["data"] and safe_path(div.attributes["data"], "data", id)
    return chart_html(id, spec_text, description, csv), description
  end
  local pdf_path = safe_path(div.attributes["pdf"], "pdf", id)
  if is_typst then
    -- pandoc's Typst writer drops an image's alt text: write the image call itself.
    local call = "#image(" .. typst_string(chart_prefix .. pdf_path) .. ", width: 100%, alt: "
      .. typst_string(description) .. ")"
    local csv = div.attributes["data"] and safe_path(div.attributes["data"], "data", id)
    if csv then
      -- The published PDF sits beside data/ in the site: a relative link reaches the CSV.
      call = call .. "\n#block(above: 0.4em, text(size: 0.8em, link("
        .. typst_string(csv) .. ", " .. typst_string(data_link_text(chart_source(spec_text)))
        .. ")))"
    end
    return pandoc.Para({ pandoc.RawInline("typst", call) }), description
  end
  local image = pandoc.Image({ pandoc.Str(description) }, chart_prefix .. pdf_path)
  image.attributes["width"] = "100%"
  return pandoc.Para({ image }), description
end

-- Splits a chart div into its drawing and its caption (the last paragraph).
local function chart_parts(div)
  local blocks = div.content
  local caption = blocks[#blocks]
  if caption == nil or caption.t ~= "Para" then
    fail("chart #" .. div.identifier .. " needs a caption paragraph as its last block")
  end
  local drawing, description = chart_content(div)
  return drawing, caption, description
end

-- Data tables ----------------------------------------------------------------

local function cell_text(cell)
  return pandoc.utils.stringify(cell.contents)
end

local function body_rows(tbl)
  local rows = {}
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      table.insert(rows, row)
    end
  end
  return rows
end

-- Numbers right, text left: a column whose every filled cell is a number (digits,
-- separators, a sign, a % sign) is set right-aligned, any other left-aligned.
local function align_columns(tbl)
  local rows = body_rows(tbl)
  for i, spec in ipairs(tbl.colspecs) do
    local numeric, filled = true, 0
    for _, row in ipairs(rows) do
      local text = row.cells[i] and cell_text(row.cells[i]) or ""
      if text ~= "" then
        filled = filled + 1
        if not text:match("^[-+]?%d[%d,. ]*%%?$") then
          numeric = false
        end
      end
    end
    local align = (numeric and filled > 0) and "AlignRight" or "AlignLeft"
    tbl.colspecs[i] = { align, spec[2] }
  end
end

-- link-rows="data/tables/%s.csv": the first cell of each row links to that file. The
-- file's name comes from a last column headed "File", which is dropped from the table
-- (readers see the name in words), or else from the first cell itself. Only names of
-- letters, digits and _ are linked; the rest stay text.
local function link_first_cells(tbl, pattern)
  local head = tbl.head.rows[1]
  local last = head and #head.cells or 0
  local from_file = last > 1 and cell_text(head.cells[last]) == "File"
  for _, row in ipairs(body_rows(tbl)) do
    local cell = row.cells[1]
    local name = from_file and cell_text(row.cells[last]) or (cell and cell_text(cell))
    if from_file then
      table.remove(row.cells, last)
    end
    if name and name:match("^[%w_]+$") then
      local target = safe_path((pattern:gsub("%%s", name)), "link-rows", "table")
      cell.contents = { pandoc.Plain({ pandoc.Link(cell.contents[1] and pandoc.utils.stringify(cell.contents) or name, target) }) }
    end
  end
  if from_file then
    table.remove(head.cells, last)
    table.remove(tbl.colspecs, last)
  end
end

-- Each body cell carries its column's name (data-label), so a narrow screen can
-- show a row as a stack of "name: value" lines instead of squeezed columns.
local function label_cells(tbl)
  local names = {}
  local head = tbl.head.rows[1]
  for i, cell in ipairs(head and head.cells or {}) do
    names[i] = cell_text(cell)
  end
  for _, row in ipairs(body_rows(tbl)) do
    for i, cell in ipairs(row.cells) do
      if names[i] then
        cell.attr.attributes["data-label"] = names[i]
      end
    end
  end
end

-- ::: {#tbl-x .data-table src="…csv"} caption ::: becomes the CSV as a table. The
-- cells are read as plain text, so nothing in the data is ever parsed as markup.
local function data_table(div)
  local path = safe_path(div.attributes["src"], "src", div.identifier)
  local parsed = pandoc.read(read_file(path), "csv")
  local tbl = parsed.blocks[1]
  if tbl == nil or tbl.t ~= "Table" then
    fail("table #" .. div.identifier .. ": " .. path .. " holds no rows")
  end
  local caption = div.content[#div.content]
  if caption == nil or caption.t ~= "Para" then
    fail("table #" .. div.identifier .. " needs a caption paragraph")
  end
  local link_rows = div.attributes["link-rows"]
  if link_rows then
    link_first_cells(tbl, link_rows)
    div.attributes["link-rows"] = nil
  end
  -- widths="0.2,0.3,…": relative column widths, so long text wraps where it should.
  local widths = div.attributes["widths"]
  if widths then
    local i = 1
    for share in widths:gmatch("[^,]+") do
      if tbl.colspecs[i] then
        tbl.colspecs[i] = { tbl.colspecs[i][1], tonumber(share) }
      end
      i = i + 1
    end
    div.attributes["widths"] = nil
  end
  align_columns(tbl)
  if is_html then
    label_cells(tbl)
  end
  div.content = { tbl, caption }
  div.attributes["src"] = nil
  return div
end

-- Numbering ------------------------------------------------------------------

local function number_targets(doc)
  local counters = { fig = 0, tbl = 0 }
  doc:walk({
    Div = function(div)
      local kind = div.identifier:match("^(%a+)%-")
      if counters[kind] then
        if numbers[div.identifier] then
          fail("duplicate identifier #" .. div.identifier)
        end
        counters[kind] = counters[kind] + 1
        numbers[div.identifier] = counters[kind]
      end
    end,
  })
end

local function label(id)
  local kind = id:match("^(%a+)%-")
  return kinds[kind] .. "\u{a0}" .. numbers[id]
end

local function numbered_caption(id, caption_inlines)
  local caption = pandoc.Inlines({ pandoc.Str(label(id) .. ":"), pandoc.Space() })
  caption:extend(caption_inlines)
  return caption
end

local function pandoc_div(div)
  local kind = div.identifier:match("^(%a+)%-")
  if div.classes:includes("chart") then
    local drawing, caption = chart_parts(div)
    local inlines = caption.content
    if is_html then
      inlines = numbered_caption(div.identifier, inlines)
    end
    -- Typst numbers figures itself and resolves @fig-… to them.
    return pandoc.Figure({ drawing }, { pandoc.Plain(inlines) }, pandoc.Attr(div.identifier, { "chart" }))
  end
  if kind == "tbl" then
    local tbl = div.content[1]
    if tbl == nil or tbl.t ~= "Table" then
      fail("#" .. div.identifier .. " must hold a table")
    end
    local last = div.content[#div.content]
    local inlines = (#div.content > 1 and last.t == "Para") and last.content
      or pandoc.utils.blocks_to_inlines(tbl.caption.long)
    if is_typst then
      -- pandoc's Typst writer makes a captioned, labelled table figure; Typst numbers it.
      tbl.caption.long = { pandoc.Plain(inlines) }
      tbl.attr = pandoc.Attr(div.identifier)
      return tbl
    end
    tbl.caption.long = { pandoc.Plain(numbered_caption(div.identifier, inlines)) }
    tbl.attr = pandoc.Attr(div.identifier, { "data-table" })
    return tbl
  end
end

local function pandoc_cite(cite)
  local first = cite.citations[1].id
  if not first:match("^fig%-") and not first:match("^tbl%-") then
    return nil -- a bibliographic citation: citeproc's job
  end
  local out = pandoc.Inlines({})
  for index, citation in ipairs(cite.citations) do
    local id = citation.id
    if not numbers[id] then
      fail("reference @" .. id .. " points to no figure or table")
    end
    if index > 1 then
      out:insert(pandoc.Str(index == #cite.citations and " and " or ", "))
    end
    if is_typst then
      out:insert(pandoc.RawInline("typst", "@" .. id))
    else
      out:insert(pandoc.Link(label(id), "#" .. id))
    end
  end
  return out
end

-- Typography -----------------------------------------------------------------

-- A number and its unit stay on one line: "46.04 %" and "12 EH/s" are joined by a
-- no-break space.
local UNITS = { ["%"] = true, ["EH/s"] = true, ["TH/s"] = true, ["J/TH"] = true, ["USD"] = true }

local function bind_units(inlines)
  for i = #inlines - 2, 1, -1 do
    local number, gap, unit = inlines[i], inlines[i + 1], inlines[i + 2]
    if
      number.t == "Span"
      and number.classes:includes("lineage")
      and (gap.t == "Space" or gap.t == "SoftBreak")
      and unit.t == "Str"
      and pandoc.utils.stringify(number):match("%d$")
      and UNITS[unit.text:match("^[%%%a/]+") or ""]
    then
      inlines[i + 1] = pandoc.Str("\u{a0}")
    elseif
      number.t == "Str"
      and (gap.t == "Space" or gap.t == "SoftBreak")
      and unit.t == "Str"
      and number.text:match("%d$")
      and UNITS[unit.text:match("^[%%%a/]+") or ""]
    then
      inlines[i] = pandoc.Str(number.text .. "\u{a0}" .. unit.text)
      inlines:remove(i + 2)
      inlines:remove(i + 1)
    end
  end
  return inlines
end

-- report-pdf: crackdown.pdf in the front matter: the HTML page links its PDF, which
-- is published beside it.
local function link_pdf(doc)
  local pdf = doc.meta["report-pdf"] and pandoc.utils.stringify(doc.meta["report-pdf"])
  if not is_html or not pdf or pdf == "" then
    return doc
  end
  safe_path(pdf, "report-pdf", "document")
  local note = pandoc.Div(
    { pandoc.Plain({ pandoc.Str("Also as a "), pandoc.Link("PDF for print", pdf), pandoc.Str(".") }) },
    pandoc.Attr("", { "report-formats" })
  )
  doc.blocks:insert(1, note)
  return doc
end

-- PDF metadata: pandoc's Typst template writes keywords unquoted (Typst would read
-- them as names), and has no subject. Keywords become Typst strings and the subject
-- the document's description (the PDF's Subject).
local function typst_metadata(doc)
  if not is_typst then
    return doc
  end
  local keywords = doc.meta["keywords"]
  if keywords and not in_quarto then
    local quoted = {}
    for _, keyword in ipairs(keywords) do
      table.insert(quoted, pandoc.RawInline("typst", typst_string(pandoc.utils.stringify(keyword))))
    end
    doc.meta["keywords"] = pandoc.MetaList(quoted)
  end
  local subject = doc.meta["subject"] and pandoc.utils.stringify(doc.meta["subject"])
  if subject and subject ~= "" then
    doc.blocks:insert(1, pandoc.RawBlock("typst", "#set document(description: " .. typst_string(subject) .. ")"))
  end
  return doc
end

-- Lineage --------------------------------------------------------------------

-- The number as a reader meets it: a button (HTML), a link to the appendix (Typst).
local function lineage_number(span)
  if not span.classes:includes("lineage") then
    return nil
  end
  local name = span.attributes["var"]
  local value = pandoc.utils.stringify(span)
  if lineage == nil then
    return pandoc.Str(value)
  end
  if name == nil or not name:match("^[%w_]+$") then
    fail("a number marked for lineage needs var=<name>, near '" .. value .. "'")
  end
  if lineage[name] == nil then
    fail("variable '" .. name .. "' has no lineage record in _lineage.json")
  end
  if not seen[name] then
    seen[name] = true
    table.insert(quoted, name)
  end
  if is_html then
    return pandoc.RawInline(
      "html",
      string.format(
        '<button type="button" class="lineage-num" data-var="%s" aria-expanded="false" '
          .. 'aria-label="%s: where this number comes from">%s</button>',
        name,
        html_escape(value),
        html_escape(value)
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

-- The lineage of the numbers this page quotes, once, for reports/lineage.js.
local function lineage_data()
  local used = {}
  for _, name in ipairs(quoted) do
    used[name] = lineage[name]
  end
  return pandoc.RawBlock(
    "html",
    '<script type="application/json" id="lineage-data">' .. inline_json(pandoc.json.encode(used)) .. "</script>"
  )
end

local function text_or(value, default)
  if type(value) == "string" and value ~= "" then
    return value
  end
  return default
end

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
  local filter = text_or(reader.filter, nil)
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

-- A number's button and the punctuation against it ("24 September 2021," or "(46.04 %")
-- held on one line: the line may break before or after the button, an inline block,
-- which would leave a comma at the start of a line or a bracket at the end of one.
-- ASCII marks only: a Lua pattern matches bytes, not the characters of UTF-8.
local CLOSING = "^[%.,;:!%?%)%]]+"
local OPENING = "[%(%[]+$"

local function is_number_button(inline)
  return inline.t == "RawInline" and inline.format == "html" and inline.text:match('^<button type="button" class="lineage%-num"')
end

local function keep_punctuation(inlines)
  local out = pandoc.Inlines({})
  local i = 1
  while i <= #inlines do
    local inline = inlines[i]
    local after = inlines[i + 1]
    if is_number_button(inline) then
      local before = out[#out]
      local opening = before and before.t == "Str" and before.text:match(OPENING)
      local closing = after and after.t == "Str" and after.text:match(CLOSING)
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
    else
      out:insert(inline)
    end
    i = i + 1
  end
  return out
end

local function show_lineage(doc)
  load_lineage(doc.meta)
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

-- Entry point ----------------------------------------------------------------

function Pandoc(doc)
  if doc.meta["chart-path-prefix"] then
    chart_prefix = pandoc.utils.stringify(doc.meta["chart-path-prefix"])
  end
  local function own_blocks(div)
    if div.classes:includes("data-table") then
      return data_table(div)
    end
    if in_quarto and div.classes:includes("chart") then
      local drawing, caption, description = chart_parts(div)
      div.content = { drawing, caption }
      -- Quarto's own attribute for a figure's text alternative.
      div.attributes["fig-alt"] = description
      return div
    end
  end
  if in_quarto then
    -- Quarto resolves shortcodes and cross-references: draw charts and tables only.
    doc = typst_metadata(link_pdf(doc))
    doc = doc:walk({ Div = own_blocks, Inlines = bind_units })
    return show_lineage(doc)
  end
  load_variables(doc.meta)
  doc = doc:walk({ Inlines = resolve_shortcodes })
  doc = doc:walk({ Inlines = bind_units })
  doc = typst_metadata(link_pdf(doc))
  doc = doc:walk({ Div = own_blocks })
  number_targets(doc)
  doc = doc:walk({ Div = pandoc_div, Cite = pandoc_cite })
  doc = show_lineage(doc)
  if is_html then
    -- The text is the page's main landmark (title and contents are outside it), as in
    -- a Quarto page; screen-reader users jump to it.
    doc.blocks:insert(1, pandoc.RawBlock("html", '<main id="content">'))
    doc.blocks:insert(pandoc.RawBlock("html", "</main>"))
  end
  return doc
end
