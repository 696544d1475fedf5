--[[
report_blocks.lua — the report's own blocks, under both render engines.

Under Quarto it runs first (`at: pre-ast` in reports/_quarto.yml), before Quarto
turns figure divs into figures of its own; the pandoc fallback runs it from
report.lua. Either way it leaves a document Quarto's figure and table numbering
understand (a #fig-/#tbl- div holding the content and a last caption paragraph):

  1. the chart block: ::: {#fig-x .chart spec="…vl.json" pdf="…pdf" data="…csv"}
     caption ::: holds, in HTML, the Vega-Lite spec drawn by vega-embed (the
     library is inlined once in the page header) and, in Typst, the chart's vector
     PDF; with a link to the chart's data under it;
  2. the table block: ::: {#tbl-x .data-table src="…csv"} caption ::: holds the CSV
     (written by the DAG) as a table whose cells are plain text, numbers set right;
  3. the HTML page links its PDF (report-pdf in the front matter), and its text is
     the page's main landmark; the PDF carries the document's metadata;
  4. under Quarto, each {{< var name >}} shortcode is wrapped in a span that keeps
     its name once Quarto has put the value in its place, for report_lineage.lua
     (the pandoc fallback marks the numbers as it resolves them, in report.lua).
--]]

package.path = pandoc.path.directory(PANDOC_SCRIPT_FILE) .. "/?.lua;" .. package.path
local common = require("report_common")
local fail, safe_path, read_file = common.fail, common.safe_path, common.read_file
local html_escape, typst_string = common.html_escape, common.typst_string
local is_html, is_typst = common.is_html, common.is_typst

-- Typst resolves "/…" from its project root; the pandoc engine sets this.
local chart_prefix = ""

-- Charts ---------------------------------------------------------------------

local function decode_spec(spec_text)
  local ok, spec = pcall(pandoc.json.decode, spec_text, false)
  return ok and type(spec) == "table" and spec or {}
end

-- The chart's text alternative: the description the pipeline wrote into its spec
-- from the data (what it shows, its range, its key finding), else the caption.
local function chart_description(spec, div)
  if type(spec.description) == "string" and spec.description ~= "" then
    return spec.description
  end
  return div.attributes["alt"] or pandoc.utils.stringify(div.content)
end

-- The words of a chart's data link: the file's kind, and what its spec's usermeta
-- says it holds ("the <table> table, <rows>").
local function data_link_text(spec)
  local source = type(spec.usermeta) == "table" and spec.usermeta.data_source
  if type(source) == "string" and source ~= "" then
    return "Data for this chart (CSV): " .. source
  end
  return "Data for this chart (CSV)"
end

local function chart_html(id, spec_text, spec, description, csv)
  local link = ""
  if csv then
    link = string.format(
      '\n<p class="chart-data"><a href="%s" download>%s</a></p>',
      html_escape(csv),
      html_escape(data_link_text(spec))
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
      common.inline_json(spec_text),
      "#" .. id .. "-view",
      id .. "-spec",
      link
    )
  )
end

-- The drawing of a chart block: in HTML the spec drawn in place, in Typst the
-- chart's vector PDF (pandoc's Typst writer drops an image's alt text, so the
-- image call is written out), elsewhere an image.
local function chart_drawing(div, description, spec_text, spec)
  local id = div.identifier
  local csv = div.attributes["data"] and safe_path(div.attributes["data"], "data", id)
  if is_html then
    return chart_html(id, spec_text, spec, description, csv)
  end
  local pdf_path = safe_path(div.attributes["pdf"], "pdf", id)
  if is_typst then
    local call = "#image(" .. typst_string(chart_prefix .. pdf_path) .. ", width: 100%, alt: "
      .. typst_string(description) .. ")"
    if csv then
      -- The published PDF sits beside data/ in the site: a relative link reaches the CSV.
      call = call .. "\n#block(above: 0.4em, text(size: 0.8em, link("
        .. typst_string(csv) .. ", " .. typst_string(data_link_text(spec)) .. ")))"
    end
    return pandoc.Para({ pandoc.RawInline("typst", call) })
  end
  local image = pandoc.Image({ pandoc.Str(description) }, chart_prefix .. pdf_path)
  image.attributes["width"] = "100%"
  return pandoc.Para({ image })
end

-- ::: {#fig-x .chart …} caption ::: → the same div holding the drawing and the caption.
local function chart_block(div)
  local id = div.identifier
  if not id:match("^fig%-[%w%-_]+$") then
    fail("chart identifier '" .. id .. "' must be fig- and letters, digits, - and _")
  end
  local caption = div.content[#div.content]
  if caption == nil or caption.t ~= "Para" then
    fail("chart #" .. id .. " needs a caption paragraph as its last block")
  end
  local spec_text = read_file(safe_path(div.attributes["spec"], "spec", id))
  local spec = decode_spec(spec_text)
  local description = chart_description(spec, div)
  div.content = { chart_drawing(div, description, spec_text, spec), caption }
  for _, used in ipairs({ "spec", "pdf", "data", "alt" }) do
    div.attributes[used] = nil
  end
  -- Quarto's own attribute for a figure's text alternative.
  div.attributes["fig-alt"] = description
  return div
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
      local text = cell.contents[1] and pandoc.utils.stringify(cell.contents) or name
      cell.contents = { pandoc.Plain({ pandoc.Link(text, target) }) }
    end
  end
  if from_file then
    table.remove(head.cells, last)
    table.remove(tbl.colspecs, last)
  end
end

-- widths="0.2,0.3,…": relative column widths, so long text wraps where it should.
local function set_widths(tbl, widths)
  local i = 1
  for share in widths:gmatch("[^,]+") do
    if tbl.colspecs[i] then
      tbl.colspecs[i] = { tbl.colspecs[i][1], tonumber(share) }
    end
    i = i + 1
  end
end

-- ::: {#tbl-x .data-table src="…csv"} caption ::: → the div holding the CSV as a
-- table, then the caption. The cells are read as plain text, so nothing in the data
-- is ever parsed as markup.
local function data_table(div)
  local path = safe_path(div.attributes["src"], "src", div.identifier)
  local tbl = pandoc.read(read_file(path), "csv").blocks[1]
  if tbl == nil or tbl.t ~= "Table" then
    fail("table #" .. div.identifier .. ": " .. path .. " holds no rows")
  end
  local caption = div.content[#div.content]
  if caption == nil or caption.t ~= "Para" then
    fail("table #" .. div.identifier .. " needs a caption paragraph")
  end
  if div.attributes["link-rows"] then
    link_first_cells(tbl, div.attributes["link-rows"])
  end
  if div.attributes["widths"] then
    set_widths(tbl, div.attributes["widths"])
  end
  align_columns(tbl)
  if is_html then
    -- The style sheet lays the table out by this class (on phones, a row becomes a
    -- stack of lines, each named by report_table_labels.lua).
    tbl.attr.classes:insert("data-table")
  end
  div.content = { tbl, caption }
  for _, used in ipairs({ "src", "link-rows", "widths" }) do
    div.attributes[used] = nil
  end
  return div
end

-- The document around the blocks ---------------------------------------------

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

-- The PDF's metadata, set in the document: title, author, subject (Typst's
-- description), keywords and date. Quarto's Typst template sets none of them, and
-- pandoc's writes keywords unquoted (Typst would read them as names), so under
-- pandoc they become Typst strings too.
local function meta_strings(value)
  if value == nil then
    return {}
  end
  if pandoc.utils.type(value) == "List" then
    return value:map(pandoc.utils.stringify)
  end
  return { pandoc.utils.stringify(value) }
end

local function typst_list(strings)
  local quoted = {}
  for _, text in ipairs(strings) do
    table.insert(quoted, typst_string(text))
  end
  return "(" .. table.concat(quoted, ", ") .. (#quoted == 1 and ",)" or ")")
end

-- pdf-date: YYYY-MM-DD, the edition's date, set by the renderer: the PDF's creation
-- date, so that the same sources give the same bytes whatever the clock says.
local function typst_date(meta)
  local date = meta["pdf-date"] and pandoc.utils.stringify(meta["pdf-date"])
  if not date then
    return nil
  end
  local year, month, day = date:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not year then
    fail("pdf-date must be YYYY-MM-DD, not '" .. date .. "'")
  end
  return string.format("datetime(year: %d, month: %d, day: %d)", tonumber(year), tonumber(month), tonumber(day))
end

local function typst_metadata(doc)
  if not is_typst then
    return doc
  end
  local meta = doc.meta
  local settings = {}
  local title = meta_strings(meta["title"])[1]
  if title then
    table.insert(settings, "title: " .. typst_string(title))
  end
  if meta["author"] then
    table.insert(settings, "author: " .. typst_list(meta_strings(meta["author"])))
  end
  if meta["subject"] then
    table.insert(settings, "description: " .. typst_string(meta_strings(meta["subject"])[1]))
  end
  if meta["keywords"] then
    table.insert(settings, "keywords: " .. typst_list(meta_strings(meta["keywords"])))
    if not common.in_quarto then
      meta["keywords"] = pandoc.MetaList(meta_strings(meta["keywords"]):map(function(keyword)
        return pandoc.RawInline("typst", typst_string(keyword))
      end))
    end
  end
  local date = typst_date(meta)
  if date then
    table.insert(settings, "date: " .. date)
  end
  if #settings > 0 then
    doc.blocks:insert(1, pandoc.RawBlock("typst", "#set document(" .. table.concat(settings, ", ") .. ")"))
  end
  return doc
end

-- Quarto reads {{< var name >}} as a span of class quarto-shortcode__ holding one span
-- per word; its first word is the shortcode's name, its second the variable's.
local function mark_quarto_number(span)
  if not span.classes:includes("quarto-shortcode__") then
    return nil
  end
  local words = span.content:filter(function(el)
    return el.t == "Span"
  end)
  if #words >= 2 and words[1].attributes["data-value"] == "var" then
    return common.number_span(words[2].attributes["data-value"], { span })
  end
end

-- ::: {.changes src="…md"} ::: → the section the build wrote on what changed since
-- the edition the config names, or nothing when that file is empty. The file is the
-- pipeline's own Markdown, every text in it escaped.
local function changes_section(div)
  local text = read_file(safe_path(div.attributes["src"], "src", "changes"))
  if not text:match("%S") then
    return {}
  end
  return pandoc.read(text, "markdown").blocks
end

local function blocks(div)
  if div.classes:includes("changes") then
    return changes_section(div)
  end
  if div.classes:includes("chart") then
    return chart_block(div)
  end
  if div.classes:includes("data-table") then
    return data_table(div)
  end
end

local function report_blocks(doc)
  if doc.meta["chart-path-prefix"] then
    chart_prefix = pandoc.utils.stringify(doc.meta["chart-path-prefix"])
  end
  if common.in_quarto then
    doc = doc:walk({ Span = mark_quarto_number })
    -- In the metadata (the abstract) Quarto leaves shortcodes as words until it
    -- resolves them: each is wrapped as it stands.
    doc = doc:walk({
      Inlines = function(inlines)
        return common.replace_var_shortcodes(inlines, function(name)
          local spaced = pandoc.Inlines({ pandoc.Str("{{<"), pandoc.Space(), pandoc.Str("var"),
            pandoc.Space(), pandoc.Str(name), pandoc.Space(), pandoc.Str(">}}") })
          return common.number_span(name, spaced)
        end)
      end,
    })
  end
  doc = typst_metadata(link_pdf(doc)):walk({ Div = blocks })
  if is_html then
    -- The text is the page's main landmark (title and contents are outside it);
    -- screen-reader users jump to it.
    doc.blocks:insert(1, pandoc.RawBlock("html", '<main id="content">'))
    doc.blocks:insert(pandoc.RawBlock("html", "</main>"))
  end
  return doc
end

-- A filter list: Quarto runs it as a filter file, report.lua requires it.
return { { Pandoc = report_blocks } }
