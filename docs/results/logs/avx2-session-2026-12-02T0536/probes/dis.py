import sys,re,subprocess
lines=open(sys.argv[1]).read().splitlines()
start=int(sys.argv[2])
out=bytearray(); base=None
inside=False
for l in lines[start:]:
    if l.startswith('[/MachCode]'): break
    m=re.match(r'\s+0x([0-9a-f]+): ([0-9a-f |]+)$',l)
    if m:
        if base is None: base=int(m.group(1),16)
        hexs=m.group(2).replace('|','').replace(' ','')
        out+=bytes.fromhex(hexs)
open('/tmp/code.bin','wb').write(out)
subprocess.run(['objdump','-D','-b','binary','-mi386:x86-64','-Mintel','--adjust-vma=%d'%base,'/tmp/code.bin'])
