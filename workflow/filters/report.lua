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

Under Quarto, which has shortcodes and cross-references of its own, only the
chart and table blocks are handled; Quarto numbers the figures and tables.

Run it before --citeproc: citeproc would otherwise read @fig-x as a citation.
--]]

local in_quarto = type(quarto) == "table" and quarto.version ~= nil
local is_html = FORMAT:match("html") ~= nil
local is_typst = FORMAT:match("typst") ~= nil

local variables = {}
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
      out:insert(pandoc.Str(prefix .. value .. close.text:sub(4)))
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

local function html_escape(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

-- Inside <script type="application/json"> nothing may read as "</script" or
-- "<!--": escaping every "<" (JSON allows \u003c in strings) rules both out.
local function inline_json(text)
  return (text:gsub("<", "\\u003c"))
end

local function chart_html(id, spec_path, description)
  local spec = inline_json(read_file(spec_path))
  return pandoc.RawBlock(
    "html",
    string.format(
      '<div class="vega-chart" id="%s-view" role="img" aria-label="%s"></div>\n'
        .. '<script type="application/json" id="%s-spec">%s</script>\n'
        .. "<script>vegaEmbed(%q, JSON.parse(document.getElementById(%q).textContent),"
        .. ' {"actions": false, "renderer": "svg"}).catch(function (error) { console.error(error); });</script>',
      id,
      html_escape(description),
      id,
      spec,
      "#" .. id .. "-view",
      id .. "-spec"
    )
  )
end

local function chart_content(div)
  local id = div.identifier
  if not id:match("^[%w%-_]+$") then
    fail("chart identifier '" .. id .. "' may hold only letters, digits, - and _")
  end
  if is_html then
    local spec_path = safe_path(div.attributes["spec"], "spec", id)
    local description = div.attributes["alt"] or pandoc.utils.stringify(div.content)
    return chart_html(id, spec_path, description)
  end
  local pdf_path = safe_path(div.attributes["pdf"], "pdf", id)
  local image = pandoc.Image({}, chart_prefix .. pdf_path)
  image.attributes["width"] = "100%"
  return pandoc.Para({ image })
end

-- Splits a chart div into its drawing and its caption (the last paragraph).
local function chart_parts(div)
  local blocks = div.content
  local caption = blocks[#blocks]
  if caption == nil or caption.t ~= "Para" then
    fail("chart #" .. div.identifier .. " needs a caption paragraph as its last block")
  end
  return chart_content(div), caption
end

-- Data tables ----------------------------------------------------------------

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
      local drawing, caption = chart_parts(div)
      div.content = { drawing, caption }
      return div
    end
  end
  if in_quarto then
    -- Quarto resolves shortcodes and cross-references: draw charts and tables only.
    return doc:walk({ Div = own_blocks })
  end
  load_variables(doc.meta)
  doc = doc:walk({ Inlines = resolve_shortcodes })
  doc = doc:walk({ Div = own_blocks })
  number_targets(doc)
  return doc:walk({ Div = pandoc_div, Cite = pandoc_cite })
end
