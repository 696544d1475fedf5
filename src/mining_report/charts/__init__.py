"""The report's charts, drawn with Altair: one module per figure, named as the registry
names the chart, with its function of the same name (``china_share.china_share``).

Every chart function takes cleaned tables by name and returns a chart themed by
``style`` (the one palette); ``output`` saves it as a Vega-Lite spec, SVG and PDF,
with the data it draws as CSV.
"""
