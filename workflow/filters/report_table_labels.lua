--[[
report_table_labels.lua — in HTML, each cell of a data table carries its column's
name (data-label), so that a narrow screen can show a row as a stack of
"name: value" lines instead of squeezed columns (reports/report.css).

It runs once the document is final (under Quarto `at: post-render`: Quarto 1.7
drops the attributes of the cells of a table holding links when it walks the
document before that; the pandoc fallback runs it from report.lua).
--]]

local function label_cells(tbl)
  if not FORMAT:match("html") or not tbl.classes:includes("data-table") then
    return nil
  end
  local names = {}
  local head = tbl.head.rows[1]
  for i, cell in ipairs(head and head.cells or {}) do
    names[i] = pandoc.utils.stringify(cell.contents)
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      for i, cell in ipairs(row.cells) do
        if names[i] then
          cell.attributes["data-label"] = names[i]
        end
      end
    end
  end
  return tbl
end

-- A filter list: Quarto runs it as a filter file, report.lua requires it.
return { { Table = label_cells } }
