import sys; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from strings import S
from xml.sax.saxutils import escape
head='''<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
'''
for idx,suffix in ((0,''),(1,'.zh-Hans')):
    out=[head]
    for k in sorted(S):
        out.append(f'  <data name="{escape(k)}" xml:space="preserve"><value>{escape(S[k][idx])}</value></data>\n')
    out.append('</root>\n')
    open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'src', 'WebConsole', 'Resources', f'SharedResource{suffix}.resx'), 'w').write(''.join(out))
print(len(S))
