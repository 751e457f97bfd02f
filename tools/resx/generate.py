"""Writes src/WebConsole/Resources/SharedResource.resx (English) and SharedResource.zh-Hans.resx from the
bilingual tables in this folder: strings.py plus every strings_*.py (each defines S = {key: (english, chinese)}
or calls S.update on the shared table). Run: python3 tools/resx/generate.py"""
import glob
import importlib.util
import os
import sys
from xml.sax.saxutils import escape

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from strings import S  # noqa: E402

for path in sorted(glob.glob(os.path.join(here, "strings_*.py"))):
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for key, value in getattr(module, "S", {}).items():
        if key in S and S[key] != value:
            sys.exit(f"{os.path.basename(path)}: key {key} is already defined differently")
        S[key] = value

head = '''<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
'''
resources = os.path.join(here, "..", "..", "src", "WebConsole", "Resources")
for index, suffix in ((0, ""), (1, ".zh-Hans")):
    lines = [head]
    for key in sorted(S):
        lines.append(f'  <data name="{escape(key)}" xml:space="preserve"><value>{escape(S[key][index])}</value></data>\n')
    lines.append("</root>\n")
    with open(os.path.join(resources, f"SharedResource{suffix}.resx"), "w", encoding="utf-8") as out:
        out.write("".join(lines))
print(f"{len(S)} strings")
