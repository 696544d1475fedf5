--[[
report.lua — the pandoc fallback: what Quarto does for the report, for machines
without Quarto (`render_engine: pandoc`, or `auto` with no quarto on PATH).

It runs the report's shared filters, report_blocks.lua (charts, data tables, the
PDF link and metadata), report_lineage.lua (where each number comes from) and
report_table_labels.lua (table cells named for phones), which Quarto runs itself
(reports/_quarto.yml), and supplies around them what Quarto has and plain pandoc
lacks:

  1. {{< var name >}} shortcodes, resolved from the DAG-written _variables.yml, each
     number marked with its name for its lineage;
  2. numbering of figures (#fig-…) and tables (#tbl-…) and @fig-…/@tbl-…
     references ("Figure 1"; in Typst, native figures and references);

Run it before --citeproc: citeproc would otherwise read @fig-x as a citation.
--]]

package.path = pandoc.path.directory(PANDOC_SCRIPT_FILE) .. "/?.lua;" .. package.path
local common = require("report_common")
local report_blocks = require("report_blocks")[1].Pandoc
local report_lineage = require("report_lineage")[1].Pandoc
local report_table_labels = require("report_table_labels")[1]
local fail, is_html, is_typst = common.fail, common.is_html, common.is_typst

local variables = {}
local numbers = {} -- identifier → number, for fig- and tbl- targets
local kinds = { fig = "Figure", tbl = "Table" }

-- Variables ------------------------------------------------------------------

local function load_variables(meta)
  local path = meta["variables-file"] and pandoc.utils.stringify(meta["variables-file"]) or "_variables.yml"
  local text = common.read_file(path)
  -- Let pandoc's own YAML reader parse the file, as a metadata block.
  local parsed = pandoc.read("---\n" .. text .. "\n---\n", "markdown").meta
  for key, value in pairs(parsed) do
    variables[key] = pandoc.utils.stringify(value)
  end
end

-- Each {{< var name >}} becomes its value, marked with its name for its lineage.
local function resolve_shortcodes(inlines)
  return common.replace_var_shortcodes(inlines, function(name)
    local value = variables[name]
    if value == nil then
      fail("unknown variable '" .. name .. "' in {{< var " .. name .. " >}}")
    end
    return common.number_span(name, { pandoc.Str(value) })
  end)
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
  if kind == "fig" then
    -- report_blocks.lua left the drawing and the caption paragraph, as Quarto takes them.
    local drawing, caption = div.content[1], div.content[#div.content]
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
  load_variables(doc.meta)
  doc = doc:walk({ Inlines = resolve_shortcodes })
  doc = report_blocks(doc)
  number_targets(doc)
  doc = doc:walk({ Div = pandoc_div, Cite = pandoc_cite })
  return report_lineage(doc):walk(report_table_labels)
end
