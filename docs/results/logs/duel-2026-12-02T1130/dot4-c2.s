
/tmp/code.bin:     file format binary


Disassembly of section .data:

00007f6c47f09200 <.data>:
    7f6c47f09200:	89 84 24 00 c0 fe ff 	mov    DWORD PTR [rsp-0x14000],eax
    7f6c47f09207:	55                   	push   rbp
    7f6c47f09208:	48 81 ec e0 00 00 00 	sub    rsp,0xe0
    7f6c47f0920f:	90                   	nop
    7f6c47f09210:	41 81 7f 20 01 00 00 	cmp    DWORD PTR [r15+0x20],0x1
    7f6c47f09217:	00 
    7f6c47f09218:	0f 85 44 0d 00 00    	jne    0x7f6c47f09f62
    7f6c47f0921e:	c4 61 f9 6e ef       	vmovq  xmm13,rdi
    7f6c47f09223:	48 8b e9             	mov    rbp,rcx
    7f6c47f09226:	8b c2                	mov    eax,edx
    7f6c47f09228:	c4 41 38 57 c0       	vxorps xmm8,xmm8,xmm8
    7f6c47f0922d:	44 89 4c 24 04       	mov    DWORD PTR [rsp+0x4],r9d
    7f6c47f09232:	45 85 c9             	test   r9d,r9d
    7f6c47f09235:	0f 8e b8 08 00 00    	jle    0x7f6c47f09af3
    7f6c47f0923b:	44 8d 34 12          	lea    r14d,[rdx+rdx*1]
    7f6c47f0923f:	42 8d 3c 32          	lea    edi,[rdx+r14*1]
    7f6c47f09243:	48 8b ce             	mov    rcx,rsi
    7f6c47f09246:	8b 5e 0c             	mov    ebx,DWORD PTR [rsi+0xc]
    7f6c47f09249:	44 8d 53 f9          	lea    r10d,[rbx-0x7]
    7f6c47f0924d:	45 85 d2             	test   r10d,r10d
    7f6c47f09250:	0f 8c 95 0c 00 00    	jl     0x7f6c47f09eeb
    7f6c47f09256:	85 db                	test   ebx,ebx
    7f6c47f09258:	0f 86 98 0c 00 00    	jbe    0x7f6c47f09ef6
    7f6c47f0925e:	48 63 f3             	movsxd rsi,ebx
    7f6c47f09261:	4d 63 d9             	movsxd r11,r9d
    7f6c47f09264:	49 8b d3             	mov    rdx,r11
    7f6c47f09267:	48 c1 e2 05          	shl    rdx,0x5
    7f6c47f0926b:	4e 8d 0c 5a          	lea    r9,[rdx+r11*2]
    7f6c47f0926f:	4d 8d 59 de          	lea    r11,[r9-0x22]
    7f6c47f09273:	4c 3b de             	cmp    r11,rsi
    7f6c47f09276:	0f 83 dc 0b 00 00    	jae    0x7f6c47f09e58
    7f6c47f0927c:	83 fb 01             	cmp    ebx,0x1
    7f6c47f0927f:	0f 86 7c 0c 00 00    	jbe    0x7f6c47f09f01
    7f6c47f09285:	4d 8d 59 df          	lea    r11,[r9-0x21]
    7f6c47f09289:	4c 3b de             	cmp    r11,rsi
    7f6c47f0928c:	0f 83 12 0c 00 00    	jae    0x7f6c47f09ea4
    7f6c47f09292:	44 8b e8             	mov    r13d,eax
    7f6c47f09295:	3b c3                	cmp    eax,ebx
    7f6c47f09297:	0f 83 0f 0c 00 00    	jae    0x7f6c47f09eac
    7f6c47f0929d:	4c 63 d8             	movsxd r11,eax
    7f6c47f092a0:	4f 8d 5c 0b de       	lea    r11,[r11+r9*1-0x22]
    7f6c47f092a5:	4c 3b de             	cmp    r11,rsi
    7f6c47f092a8:	0f 83 03 0c 00 00    	jae    0x7f6c47f09eb1
    7f6c47f092ae:	44 8d 58 01          	lea    r11d,[rax+0x1]
    7f6c47f092b2:	44 3b db             	cmp    r11d,ebx
    7f6c47f092b5:	0f 83 fb 0b 00 00    	jae    0x7f6c47f09eb6
    7f6c47f092bb:	4d 63 db             	movsxd r11,r11d
    7f6c47f092be:	4f 8d 5c 0b de       	lea    r11,[r11+r9*1-0x22]
    7f6c47f092c3:	4c 3b de             	cmp    r11,rsi
    7f6c47f092c6:	0f 83 ef 0b 00 00    	jae    0x7f6c47f09ebb
    7f6c47f092cc:	44 3b f3             	cmp    r14d,ebx
    7f6c47f092cf:	0f 83 eb 0b 00 00    	jae    0x7f6c47f09ec0
    7f6c47f092d5:	4d 63 de             	movsxd r11,r14d
    7f6c47f092d8:	4f 8d 5c 0b de       	lea    r11,[r11+r9*1-0x22]
    7f6c47f092dd:	4c 3b de             	cmp    r11,rsi
    7f6c47f092e0:	0f 83 df 0b 00 00    	jae    0x7f6c47f09ec5
    7f6c47f092e6:	45 8d 5e 01          	lea    r11d,[r14+0x1]
    7f6c47f092ea:	44 3b db             	cmp    r11d,ebx
    7f6c47f092ed:	0f 83 d7 0b 00 00    	jae    0x7f6c47f09eca
    7f6c47f092f3:	4d 63 db             	movsxd r11,r11d
    7f6c47f092f6:	4f 8d 5c 0b de       	lea    r11,[r11+r9*1-0x22]
    7f6c47f092fb:	4c 3b de             	cmp    r11,rsi
    7f6c47f092fe:	0f 83 cb 0b 00 00    	jae    0x7f6c47f09ecf
    7f6c47f09304:	3b fb                	cmp    edi,ebx
    7f6c47f09306:	0f 83 c8 0b 00 00    	jae    0x7f6c47f09ed4
    7f6c47f0930c:	4c 63 df             	movsxd r11,edi
    7f6c47f0930f:	4f 8d 5c 0b de       	lea    r11,[r11+r9*1-0x22]
    7f6c47f09314:	4c 3b de             	cmp    r11,rsi
    7f6c47f09317:	0f 83 bc 0b 00 00    	jae    0x7f6c47f09ed9
    7f6c47f0931d:	44 8d 5f 01          	lea    r11d,[rdi+0x1]
    7f6c47f09321:	44 3b db             	cmp    r11d,ebx
    7f6c47f09324:	0f 83 b4 0b 00 00    	jae    0x7f6c47f09ede
    7f6c47f0932a:	4d 63 db             	movsxd r11,r11d
    7f6c47f0932d:	4f 8d 5c 0b de       	lea    r11,[r11+r9*1-0x22]
    7f6c47f09332:	4c 3b de             	cmp    r11,rsi
    7f6c47f09335:	0f 83 a8 0b 00 00    	jae    0x7f6c47f09ee3
    7f6c47f0933b:	48 8b c5             	mov    rax,rbp
    7f6c47f0933e:	44 8b 58 0c          	mov    r11d,DWORD PTR [rax+0xc]
    7f6c47f09342:	41 8d 5b f9          	lea    ebx,[r11-0x7]
    7f6c47f09346:	85 db                	test   ebx,ebx
    7f6c47f09348:	0f 8c 18 0b 00 00    	jl     0x7f6c47f09e66
    7f6c47f0934e:	44 3b c3             	cmp    r8d,ebx
    7f6c47f09351:	0f 83 0f 0b 00 00    	jae    0x7f6c47f09e66
    7f6c47f09357:	49 63 d8             	movsxd rbx,r8d
    7f6c47f0935a:	48 8d 5c 13 e0       	lea    rbx,[rbx+rdx*1-0x20]
    7f6c47f0935f:	49 63 d3             	movsxd rdx,r11d
    7f6c47f09362:	48 83 c2 f9          	add    rdx,0xfffffffffffffff9
    7f6c47f09366:	48 3b da             	cmp    rbx,rdx
    7f6c47f09369:	0f 83 f7 0a 00 00    	jae    0x7f6c47f09e66
    7f6c47f0936f:	41 83 fa 02          	cmp    r10d,0x2
    7f6c47f09373:	0f 86 ed 0a 00 00    	jbe    0x7f6c47f09e66
    7f6c47f09379:	48 83 c6 f9          	add    rsi,0xfffffffffffffff9
    7f6c47f0937d:	4d 8d 59 e0          	lea    r11,[r9-0x20]
    7f6c47f09381:	4c 3b de             	cmp    r11,rsi
    7f6c47f09384:	0f 83 dc 0a 00 00    	jae    0x7f6c47f09e66
    7f6c47f0938a:	41 8d 5d 02          	lea    ebx,[r13+0x2]
    7f6c47f0938e:	41 3b da             	cmp    ebx,r10d
    7f6c47f09391:	0f 83 cf 0a 00 00    	jae    0x7f6c47f09e66
    7f6c47f09397:	4c 63 db             	movsxd r11,ebx
    7f6c47f0939a:	4f 8d 5c 0b de       	lea    r11,[r11+r9*1-0x22]
    7f6c47f0939f:	4c 3b de             	cmp    r11,rsi
    7f6c47f093a2:	0f 83 be 0a 00 00    	jae    0x7f6c47f09e66
    7f6c47f093a8:	41 8d 5e 02          	lea    ebx,[r14+0x2]
    7f6c47f093ac:	41 3b da             	cmp    ebx,r10d
    7f6c47f093af:	0f 83 b1 0a 00 00    	jae    0x7f6c47f09e66
    7f6c47f093b5:	4c 63 db             	movsxd r11,ebx
    7f6c47f093b8:	4f 8d 5c 0b de       	lea    r11,[r11+r9*1-0x22]
    7f6c47f093bd:	4c 3b de             	cmp    r11,rsi
    7f6c47f093c0:	0f 83 a0 0a 00 00    	jae    0x7f6c47f09e66
    7f6c47f093c6:	8d 5f 02             	lea    ebx,[rdi+0x2]
    7f6c47f093c9:	41 3b da             	cmp    ebx,r10d
    7f6c47f093cc:	0f 83 94 0a 00 00    	jae    0x7f6c47f09e66
    7f6c47f093d2:	4c 63 d3             	movsxd r10,ebx
    7f6c47f093d5:	4f 8d 54 0a de       	lea    r10,[r10+r9*1-0x22]
    7f6c47f093da:	4c 3b d6             	cmp    r10,rsi
    7f6c47f093dd:	0f 83 83 0a 00 00    	jae    0x7f6c47f09e66
    7f6c47f093e3:	45 33 db             	xor    r11d,r11d
    7f6c47f093e6:	c4 41 7e 6f e0       	vmovdqu ymm12,ymm8
    7f6c47f093eb:	c4 41 7e 6f d8       	vmovdqu ymm11,ymm8
    7f6c47f093f0:	c4 41 7e 6f c8       	vmovdqu ymm9,ymm8
    7f6c47f093f5:	c4 41 7e 6f d0       	vmovdqu ymm10,ymm8
    7f6c47f093fa:	44 89 84 24 f4 00 00 	mov    DWORD PTR [rsp+0xf4],r8d
    7f6c47f09401:	00 
    7f6c47f09402:	89 bc 24 c8 00 00 00 	mov    DWORD PTR [rsp+0xc8],edi
    7f6c47f09409:	48 89 54 24 08       	mov    QWORD PTR [rsp+0x8],rdx
    7f6c47f0940e:	66 90                	xchg   ax,ax
    7f6c47f09410:	41 8b fb             	mov    edi,r11d
    7f6c47f09413:	c1 e7 05             	shl    edi,0x5
    7f6c47f09416:	42 8d 14 5f          	lea    edx,[rdi+r11*2]
    7f6c47f0941a:	03 bc 24 f4 00 00 00 	add    edi,DWORD PTR [rsp+0xf4]
    7f6c47f09421:	48 63 ef             	movsxd rbp,edi
    7f6c47f09424:	4c 8d 55 18          	lea    r10,[rbp+0x18]
    7f6c47f09428:	4c 3b 54 24 08       	cmp    r10,QWORD PTR [rsp+0x8]
    7f6c47f0942d:	0f 83 d9 06 00 00    	jae    0x7f6c47f09b0c
    7f6c47f09433:	8d 5a 02             	lea    ebx,[rdx+0x2]
    7f6c47f09436:	4c 63 d3             	movsxd r10,ebx
    7f6c47f09439:	49 83 c2 18          	add    r10,0x18
    7f6c47f0943d:	4c 3b d6             	cmp    r10,rsi
    7f6c47f09440:	0f 83 c6 06 00 00    	jae    0x7f6c47f09b0c
    7f6c47f09446:	46 8d 04 2a          	lea    r8d,[rdx+r13*1]
    7f6c47f0944a:	41 8d 58 02          	lea    ebx,[r8+0x2]
    7f6c47f0944e:	4c 63 d3             	movsxd r10,ebx
    7f6c47f09451:	49 83 c2 18          	add    r10,0x18
    7f6c47f09455:	4c 3b d6             	cmp    r10,rsi
    7f6c47f09458:	0f 83 ae 06 00 00    	jae    0x7f6c47f09b0c
    7f6c47f0945e:	46 8d 0c 32          	lea    r9d,[rdx+r14*1]
    7f6c47f09462:	45 8d 51 02          	lea    r10d,[r9+0x2]
    7f6c47f09466:	4d 63 d2             	movsxd r10,r10d
    7f6c47f09469:	49 83 c2 18          	add    r10,0x18
    7f6c47f0946d:	4c 3b d6             	cmp    r10,rsi
    7f6c47f09470:	0f 83 96 06 00 00    	jae    0x7f6c47f09b0c
    7f6c47f09476:	8b da                	mov    ebx,edx
    7f6c47f09478:	03 9c 24 c8 00 00 00 	add    ebx,DWORD PTR [rsp+0xc8]
    7f6c47f0947f:	44 8d 53 02          	lea    r10d,[rbx+0x2]
    7f6c47f09483:	4d 63 d2             	movsxd r10,r10d
    7f6c47f09486:	49 83 c2 18          	add    r10,0x18
    7f6c47f0948a:	4c 3b d6             	cmp    r10,rsi
    7f6c47f0948d:	0f 83 79 06 00 00    	jae    0x7f6c47f09b0c
    7f6c47f09493:	c5 fc 10 64 a8 10    	vmovups ymm4,YMMWORD PTR [rax+rbp*4+0x10]
    7f6c47f09499:	c5 fc 10 7c a8 70    	vmovups ymm7,YMMWORD PTR [rax+rbp*4+0x70]
    7f6c47f0949f:	c5 fc 10 6c a8 30    	vmovups ymm5,YMMWORD PTR [rax+rbp*4+0x30]
    7f6c47f094a5:	c5 fc 10 74 a8 50    	vmovups ymm6,YMMWORD PTR [rax+rbp*4+0x50]
    7f6c47f094ab:	48 63 fa             	movsxd rdi,edx
    7f6c47f094ae:	44 0f b6 54 11 10    	movzx  r10d,BYTE PTR [rcx+rdx*1+0x10]
    7f6c47f094b4:	c5 fa 7e 54 39 2a    	vmovq  xmm2,QWORD PTR [rcx+rdi*1+0x2a]
    7f6c47f094ba:	c5 fa 7e 44 39 22    	vmovq  xmm0,QWORD PTR [rcx+rdi*1+0x22]
    7f6c47f094c0:	c5 fa 7e 5c 39 12    	vmovq  xmm3,QWORD PTR [rcx+rdi*1+0x12]
    7f6c47f094c6:	c5 fa 7e 4c 39 1a    	vmovq  xmm1,QWORD PTR [rcx+rdi*1+0x1a]
    7f6c47f094cc:	0f be 7c 39 11       	movsx  edi,BYTE PTR [rcx+rdi*1+0x11]
    7f6c47f094d1:	c4 62 7d 21 f2       	vpmovsxbd ymm14,xmm2
    7f6c47f094d6:	c4 41 7c 5b f6       	vcvtdq2ps ymm14,ymm14
    7f6c47f094db:	c1 e7 08             	shl    edi,0x8
    7f6c47f094de:	41 0b fa             	or     edi,r10d
    7f6c47f094e1:	c4 e2 7d 21 d3       	vpmovsxbd ymm2,xmm3
    7f6c47f094e6:	c5 fc 5b d2          	vcvtdq2ps ymm2,ymm2
    7f6c47f094ea:	c4 41 7e 6f f8       	vmovdqu ymm15,ymm8
    7f6c47f094ef:	c4 62 6d b8 fc       	vfmadd231ps ymm15,ymm2,ymm4
    7f6c47f094f4:	0f bf ff             	movsx  edi,di
    7f6c47f094f7:	c5 f9 6e df          	vmovd  xmm3,edi
    7f6c47f094fb:	c4 e2 79 13 db       	vcvtph2ps xmm3,xmm3
    7f6c47f09500:	c4 e2 7d 21 d0       	vpmovsxbd ymm2,xmm0
    7f6c47f09505:	c5 fc 5b d2          	vcvtdq2ps ymm2,ymm2
    7f6c47f09509:	c4 e2 7d 18 c3       	vbroadcastss ymm0,xmm3
    7f6c47f0950e:	c4 e2 7d 21 c9       	vpmovsxbd ymm1,xmm1
    7f6c47f09513:	c5 fc 5b c9          	vcvtdq2ps ymm1,ymm1
    7f6c47f09517:	c4 62 75 b8 fd       	vfmadd231ps ymm15,ymm1,ymm5
    7f6c47f0951c:	c4 62 6d b8 fe       	vfmadd231ps ymm15,ymm2,ymm6
    7f6c47f09521:	c4 62 0d b8 ff       	vfmadd231ps ymm15,ymm14,ymm7
    7f6c47f09526:	c4 42 7d b8 cf       	vfmadd231ps ymm9,ymm0,ymm15
    7f6c47f0952b:	4c 63 d3             	movsxd r10,ebx
    7f6c47f0952e:	c4 a1 7a 7e 44 11 12 	vmovq  xmm0,QWORD PTR [rcx+r10*1+0x12]
    7f6c47f09535:	c4 a1 7a 7e 54 11 2a 	vmovq  xmm2,QWORD PTR [rcx+r10*1+0x2a]
    7f6c47f0953c:	c4 a1 7a 7e 5c 11 1a 	vmovq  xmm3,QWORD PTR [rcx+r10*1+0x1a]
    7f6c47f09543:	c4 a1 7a 7e 4c 11 22 	vmovq  xmm1,QWORD PTR [rcx+r10*1+0x22]
    7f6c47f0954a:	46 0f b6 54 11 10    	movzx  r10d,BYTE PTR [rcx+r10*1+0x10]
    7f6c47f09550:	48 63 db             	movsxd rbx,ebx
    7f6c47f09553:	0f be 7c 19 11       	movsx  edi,BYTE PTR [rcx+rbx*1+0x11]
    7f6c47f09558:	c4 62 7d 21 f3       	vpmovsxbd ymm14,xmm3
    7f6c47f0955d:	c4 41 7c 5b f6       	vcvtdq2ps ymm14,ymm14
    7f6c47f09562:	c1 e7 08             	shl    edi,0x8
    7f6c47f09565:	41 0b fa             	or     edi,r10d
    7f6c47f09568:	c4 e2 7d 21 d2       	vpmovsxbd ymm2,xmm2
    7f6c47f0956d:	c5 fc 5b d2          	vcvtdq2ps ymm2,ymm2
    7f6c47f09571:	0f bf df             	movsx  ebx,di
    7f6c47f09574:	c5 f9 6e db          	vmovd  xmm3,ebx
    7f6c47f09578:	c4 e2 79 13 db       	vcvtph2ps xmm3,xmm3
    7f6c47f0957d:	49 8b 5f 30          	mov    rbx,QWORD PTR [r15+0x30]
    7f6c47f09581:	c4 e2 7d 21 c0       	vpmovsxbd ymm0,xmm0
    7f6c47f09586:	c5 fc 5b c0          	vcvtdq2ps ymm0,ymm0
    7f6c47f0958a:	c4 41 7e 6f f8       	vmovdqu ymm15,ymm8
    7f6c47f0958f:	c4 62 7d b8 fc       	vfmadd231ps ymm15,ymm0,ymm4
    7f6c47f09594:	c4 62 0d b8 fd       	vfmadd231ps ymm15,ymm14,ymm5
    7f6c47f09599:	c4 e2 7d 21 c1       	vpmovsxbd ymm0,xmm1
    7f6c47f0959e:	c5 fc 5b c0          	vcvtdq2ps ymm0,ymm0
    7f6c47f095a2:	c4 62 7d b8 fe       	vfmadd231ps ymm15,ymm0,ymm6
    7f6c47f095a7:	c4 62 6d b8 ff       	vfmadd231ps ymm15,ymm2,ymm7
    7f6c47f095ac:	c4 e2 7d 18 c3       	vbroadcastss ymm0,xmm3
    7f6c47f095b1:	c4 42 7d b8 d7       	vfmadd231ps ymm10,ymm0,ymm15
    7f6c47f095b6:	4d 63 d0             	movsxd r10,r8d
    7f6c47f095b9:	42 0f be 7c 11 11    	movsx  edi,BYTE PTR [rcx+r10*1+0x11]
    7f6c47f095bf:	4d 63 d0             	movsxd r10,r8d
    7f6c47f095c2:	c4 a1 7a 7e 54 11 12 	vmovq  xmm2,QWORD PTR [rcx+r10*1+0x12]
    7f6c47f095c9:	c4 a1 7a 7e 44 11 2a 	vmovq  xmm0,QWORD PTR [rcx+r10*1+0x2a]
    7f6c47f095d0:	c4 a1 7a 7e 5c 11 1a 	vmovq  xmm3,QWORD PTR [rcx+r10*1+0x1a]
    7f6c47f095d7:	c4 a1 7a 7e 4c 11 22 	vmovq  xmm1,QWORD PTR [rcx+r10*1+0x22]
    7f6c47f095de:	46 0f b6 54 11 10    	movzx  r10d,BYTE PTR [rcx+r10*1+0x10]
    7f6c47f095e4:	c1 e7 08             	shl    edi,0x8
    7f6c47f095e7:	41 0b fa             	or     edi,r10d
    7f6c47f095ea:	c4 62 7d 21 f3       	vpmovsxbd ymm14,xmm3
    7f6c47f095ef:	c4 41 7c 5b f6       	vcvtdq2ps ymm14,ymm14
    7f6c47f095f4:	44 0f bf d7          	movsx  r10d,di
    7f6c47f095f8:	c4 c1 79 6e da       	vmovd  xmm3,r10d
    7f6c47f095fd:	c4 e2 79 13 db       	vcvtph2ps xmm3,xmm3
    7f6c47f09602:	4d 63 c1             	movsxd r8,r9d
    7f6c47f09605:	c4 e2 7d 18 db       	vbroadcastss ymm3,xmm3
    7f6c47f0960a:	c4 62 7d 21 f8       	vpmovsxbd ymm15,xmm0
    7f6c47f0960f:	c4 41 7c 5b ff       	vcvtdq2ps ymm15,ymm15
    7f6c47f09614:	4d 63 d1             	movsxd r10,r9d
    7f6c47f09617:	46 0f be 54 11 11    	movsx  r10d,BYTE PTR [rcx+r10*1+0x11]
    7f6c47f0961d:	c4 e2 7d 21 c1       	vpmovsxbd ymm0,xmm1
    7f6c47f09622:	c5 fc 5b c0          	vcvtdq2ps ymm0,ymm0
    7f6c47f09626:	41 c1 e2 08          	shl    r10d,0x8
    7f6c47f0962a:	c4 e2 7d 21 ca       	vpmovsxbd ymm1,xmm2
    7f6c47f0962f:	c5 fc 5b c9          	vcvtdq2ps ymm1,ymm1
    7f6c47f09633:	c4 c1 7e 6f d0       	vmovdqu ymm2,ymm8
    7f6c47f09638:	c4 e2 75 b8 d4       	vfmadd231ps ymm2,ymm1,ymm4
    7f6c47f0963d:	c4 e2 0d b8 d5       	vfmadd231ps ymm2,ymm14,ymm5
    7f6c47f09642:	c4 e2 7d b8 d6       	vfmadd231ps ymm2,ymm0,ymm6
    7f6c47f09647:	c4 a1 7a 7e 44 01 2a 	vmovq  xmm0,QWORD PTR [rcx+r8*1+0x2a]
    7f6c47f0964e:	c4 e2 05 b8 d7       	vfmadd231ps ymm2,ymm15,ymm7
    7f6c47f09653:	c4 a1 7a 7e 4c 01 22 	vmovq  xmm1,QWORD PTR [rcx+r8*1+0x22]
    7f6c47f0965a:	c4 62 65 b8 e2       	vfmadd231ps ymm12,ymm3,ymm2
    7f6c47f0965f:	c4 a1 7a 7e 54 01 1a 	vmovq  xmm2,QWORD PTR [rcx+r8*1+0x1a]
    7f6c47f09666:	c4 e2 7d 21 d8       	vpmovsxbd ymm3,xmm0
    7f6c47f0966b:	c5 fc 5b db          	vcvtdq2ps ymm3,ymm3
    7f6c47f0966f:	c4 e2 7d 21 d2       	vpmovsxbd ymm2,xmm2
    7f6c47f09674:	c5 fc 5b d2          	vcvtdq2ps ymm2,ymm2
    7f6c47f09678:	c4 e2 7d 21 c9       	vpmovsxbd ymm1,xmm1
    7f6c47f0967d:	c5 fc 5b c9          	vcvtdq2ps ymm1,ymm1
    7f6c47f09681:	c4 a1 7a 7e 44 01 12 	vmovq  xmm0,QWORD PTR [rcx+r8*1+0x12]
    7f6c47f09688:	46 0f b6 4c 01 10    	movzx  r9d,BYTE PTR [rcx+r8*1+0x10]
    7f6c47f0968e:	45 0b d1             	or     r10d,r9d
    7f6c47f09691:	c4 e2 7d 21 c0       	vpmovsxbd ymm0,xmm0
    7f6c47f09696:	c5 fc 5b c0          	vcvtdq2ps ymm0,ymm0
    7f6c47f0969a:	c4 41 7e 6f f0       	vmovdqu ymm14,ymm8
    7f6c47f0969f:	c4 62 7d b8 f4       	vfmadd231ps ymm14,ymm0,ymm4
    7f6c47f096a4:	c4 62 6d b8 f5       	vfmadd231ps ymm14,ymm2,ymm5
    7f6c47f096a9:	c4 62 75 b8 f6       	vfmadd231ps ymm14,ymm1,ymm6
    7f6c47f096ae:	c4 62 65 b8 f7       	vfmadd231ps ymm14,ymm3,ymm7
    7f6c47f096b3:	45 0f bf c2          	movsx  r8d,r10w
    7f6c47f096b7:	c4 c1 79 6e d8       	vmovd  xmm3,r8d
    7f6c47f096bc:	c4 e2 79 13 db       	vcvtph2ps xmm3,xmm3
    7f6c47f096c1:	c4 e2 7d 18 c3       	vbroadcastss ymm0,xmm3
    7f6c47f096c6:	c4 42 7d b8 de       	vfmadd231ps ymm11,ymm0,ymm14
    7f6c47f096cb:	41 ff c3             	inc    r11d
    7f6c47f096ce:	85 03                	test   DWORD PTR [rbx],eax
    7f6c47f096d0:	44 3b 5c 24 04       	cmp    r11d,DWORD PTR [rsp+0x4]
    7f6c47f096d5:	0f 8c 35 fd ff ff    	jl     0x7f6c47f09410
    7f6c47f096db:	4c 8b 94 24 00 01 00 	mov    r10,QWORD PTR [rsp+0x100]
    7f6c47f096e2:	00 
    7f6c47f096e3:	41 8b 5a 0c          	mov    ebx,DWORD PTR [r10+0xc]
    7f6c47f096e7:	8d 6b f9             	lea    ebp,[rbx-0x7]
    7f6c47f096ea:	85 ed                	test   ebp,ebp
    7f6c47f096ec:	0f 8c 76 06 00 00    	jl     0x7f6c47f09d68
    7f6c47f096f2:	83 fb 07             	cmp    ebx,0x7
    7f6c47f096f5:	0f 84 60 05 00 00    	je     0x7f6c47f09c5b
    7f6c47f096fb:	c4 41 7e 7f 4a 10    	vmovdqu YMMWORD PTR [r10+0x10],ymm9
    7f6c47f09701:	83 fd 18             	cmp    ebp,0x18
    7f6c47f09704:	0f 86 9e 06 00 00    	jbe    0x7f6c47f09da8
    7f6c47f0970a:	c4 41 7e 7f 62 30    	vmovdqu YMMWORD PTR [r10+0x30],ymm12
    7f6c47f09710:	c4 41 7e 7f 5a 50    	vmovdqu YMMWORD PTR [r10+0x50],ymm11
    7f6c47f09716:	c4 41 7e 7f 52 70    	vmovdqu YMMWORD PTR [r10+0x70],ymm10
    7f6c47f0971c:	85 db                	test   ebx,ebx
    7f6c47f0971e:	0f 86 bc 06 00 00    	jbe    0x7f6c47f09de0
    7f6c47f09724:	bd 04 00 00 00       	mov    ebp,0x4
    7f6c47f09729:	bf 04 00 00 00       	mov    edi,0x4
    7f6c47f0972e:	eb 78                	jmp    0x7f6c47f097a8
    7f6c47f09730:	c4 81 7a 10 44 83 10 	vmovss xmm0,DWORD PTR [r11+r8*4+0x10]
    7f6c47f09737:	c4 81 7a 58 4c 82 10 	vaddss xmm1,xmm0,DWORD PTR [r10+r8*4+0x10]
    7f6c47f0973e:	c4 81 7a 11 4c 82 10 	vmovss DWORD PTR [r10+r8*4+0x10],xmm1
    7f6c47f09745:	41 ff c0             	inc    r8d
    7f6c47f09748:	44 3b c5             	cmp    r8d,ebp
    7f6c47f0974b:	7c e3                	jl     0x7f6c47f09730
    7f6c47f0974d:	4d 8b 47 30          	mov    r8,QWORD PTR [r15+0x30]
    7f6c47f09751:	d1 fd                	sar    ebp,1
    7f6c47f09753:	41 85 00             	test   DWORD PTR [r8],eax
    7f6c47f09756:	83 fd 01             	cmp    ebp,0x1
    7f6c47f09759:	7d 4d                	jge    0x7f6c47f097a8
    7f6c47f0975b:	c4 c1 7a 10 42 10    	vmovss xmm0,DWORD PTR [r10+0x10]
    7f6c47f09761:	c4 41 f9 7e e8       	vmovq  r8,xmm13
    7f6c47f09766:	41 8b 40 0c          	mov    eax,DWORD PTR [r8+0xc]
    7f6c47f0976a:	44 8b 9c 24 f0 00 00 	mov    r11d,DWORD PTR [rsp+0xf0]
    7f6c47f09771:	00 
    7f6c47f09772:	44 3b d8             	cmp    r11d,eax
    7f6c47f09775:	0f 83 21 05 00 00    	jae    0x7f6c47f09c9c
    7f6c47f0977b:	c4 81 7a 11 44 98 10 	vmovss DWORD PTR [r8+r11*4+0x10],xmm0
    7f6c47f09782:	44 8b 8c 24 f0 00 00 	mov    r9d,DWORD PTR [rsp+0xf0]
    7f6c47f09789:	00 
    7f6c47f0978a:	44 03 8c 24 f8 00 00 	add    r9d,DWORD PTR [rsp+0xf8]
    7f6c47f09791:	00 
    7f6c47f09792:	83 fb 08             	cmp    ebx,0x8
    7f6c47f09795:	0f 86 61 06 00 00    	jbe    0x7f6c47f09dfc
    7f6c47f0979b:	48 63 d3             	movsxd rdx,ebx
    7f6c47f0979e:	bd 04 00 00 00       	mov    ebp,0x4
    7f6c47f097a3:	e9 de 00 00 00       	jmp    0x7f6c47f09886
    7f6c47f097a8:	85 ed                	test   ebp,ebp
    7f6c47f097aa:	7e a1                	jle    0x7f6c47f0974d
    7f6c47f097ac:	44 8d 45 ff          	lea    r8d,[rbp-0x1]
    7f6c47f097b0:	44 3b c3             	cmp    r8d,ebx
    7f6c47f097b3:	0f 83 cb 03 00 00    	jae    0x7f6c47f09b84
    7f6c47f097b9:	3b eb                	cmp    ebp,ebx
    7f6c47f097bb:	0f 83 c3 03 00 00    	jae    0x7f6c47f09b84
    7f6c47f097c1:	44 8d 4c 2d ff       	lea    r9d,[rbp+rbp*1-0x1]
    7f6c47f097c6:	44 3b cb             	cmp    r9d,ebx
    7f6c47f097c9:	0f 83 b5 03 00 00    	jae    0x7f6c47f09b84
    7f6c47f097cf:	4d 8d 1c aa          	lea    r11,[r10+rbp*4]
    7f6c47f097d3:	c4 c1 7a 10 4b 10    	vmovss xmm1,DWORD PTR [r11+0x10]
    7f6c47f097d9:	c4 c1 72 58 42 10    	vaddss xmm0,xmm1,DWORD PTR [r10+0x10]
    7f6c47f097df:	c4 c1 7a 11 42 10    	vmovss DWORD PTR [r10+0x10],xmm0
    7f6c47f097e5:	41 83 f8 01          	cmp    r8d,0x1
    7f6c47f097e9:	0f 8e b5 03 00 00    	jle    0x7f6c47f09ba4
    7f6c47f097ef:	c4 c1 7a 10 43 14    	vmovss xmm0,DWORD PTR [r11+0x14]
    7f6c47f097f5:	c4 c1 7a 58 4a 14    	vaddss xmm1,xmm0,DWORD PTR [r10+0x14]
    7f6c47f097fb:	c4 c1 7a 11 4a 14    	vmovss DWORD PTR [r10+0x14],xmm1
    7f6c47f09801:	c4 c1 7a 10 43 18    	vmovss xmm0,DWORD PTR [r11+0x18]
    7f6c47f09807:	c4 c1 7a 58 4a 18    	vaddss xmm1,xmm0,DWORD PTR [r10+0x18]
    7f6c47f0980d:	c4 c1 7a 11 4a 18    	vmovss DWORD PTR [r10+0x18],xmm1
    7f6c47f09813:	41 b8 03 00 00 00    	mov    r8d,0x3
    7f6c47f09819:	44 3b c5             	cmp    r8d,ebp
    7f6c47f0981c:	0f 8c 0e ff ff ff    	jl     0x7f6c47f09730
    7f6c47f09822:	e9 26 ff ff ff       	jmp    0x7f6c47f0974d
    7f6c47f09827:	90                   	nop
    7f6c47f09828:	c4 c1 7a 10 4c b2 30 	vmovss xmm1,DWORD PTR [r10+rsi*4+0x30]
    7f6c47f0982f:	c4 c1 72 58 44 b5 30 	vaddss xmm0,xmm1,DWORD PTR [r13+rsi*4+0x30]
    7f6c47f09836:	c4 c1 7a 11 44 b2 30 	vmovss DWORD PTR [r10+rsi*4+0x30],xmm0
    7f6c47f0983d:	ff c6                	inc    esi
    7f6c47f0983f:	3b f5                	cmp    esi,ebp
    7f6c47f09841:	7c e5                	jl     0x7f6c47f09828
    7f6c47f09843:	49 8b 4f 30          	mov    rcx,QWORD PTR [r15+0x30]
    7f6c47f09847:	d1 fd                	sar    ebp,1
    7f6c47f09849:	85 01                	test   DWORD PTR [rcx],eax
    7f6c47f0984b:	83 fd 01             	cmp    ebp,0x1
    7f6c47f0984e:	7d 36                	jge    0x7f6c47f09886
    7f6c47f09850:	c4 c1 7a 10 4a 30    	vmovss xmm1,DWORD PTR [r10+0x30]
    7f6c47f09856:	44 3b c8             	cmp    r9d,eax
    7f6c47f09859:	0f 83 69 04 00 00    	jae    0x7f6c47f09cc8
    7f6c47f0985f:	c4 81 7a 11 4c 88 10 	vmovss DWORD PTR [r8+r9*4+0x10],xmm1
    7f6c47f09866:	8b b4 24 f8 00 00 00 	mov    esi,DWORD PTR [rsp+0xf8]
    7f6c47f0986d:	d1 e6                	shl    esi,1
    7f6c47f0986f:	41 8d 0c 33          	lea    ecx,[r11+rsi*1]
    7f6c47f09873:	83 fb 10             	cmp    ebx,0x10
    7f6c47f09876:	0f 86 ac 05 00 00    	jbe    0x7f6c47f09e28
    7f6c47f0987c:	bd 04 00 00 00       	mov    ebp,0x4
    7f6c47f09881:	e9 02 01 00 00       	jmp    0x7f6c47f09988
    7f6c47f09886:	85 ed                	test   ebp,ebp
    7f6c47f09888:	7e b9                	jle    0x7f6c47f09843
    7f6c47f0988a:	8d 75 07             	lea    esi,[rbp+0x7]
    7f6c47f0988d:	3b f3                	cmp    esi,ebx
    7f6c47f0988f:	0f 83 1a 03 00 00    	jae    0x7f6c47f09baf
    7f6c47f09895:	8d 4d 08             	lea    ecx,[rbp+0x8]
    7f6c47f09898:	3b cb                	cmp    ecx,ebx
    7f6c47f0989a:	0f 83 0f 03 00 00    	jae    0x7f6c47f09baf
    7f6c47f098a0:	48 63 cd             	movsxd rcx,ebp
    7f6c47f098a3:	48 8d 74 09 07       	lea    rsi,[rcx+rcx*1+0x7]
    7f6c47f098a8:	48 3b f2             	cmp    rsi,rdx
    7f6c47f098ab:	0f 83 fe 02 00 00    	jae    0x7f6c47f09baf
    7f6c47f098b1:	4d 8d 2c 8a          	lea    r13,[r10+rcx*4]
    7f6c47f098b5:	c4 c1 7a 10 42 30    	vmovss xmm0,DWORD PTR [r10+0x30]
    7f6c47f098bb:	c4 c1 7a 58 4d 30    	vaddss xmm1,xmm0,DWORD PTR [r13+0x30]
    7f6c47f098c1:	c4 c1 7a 11 4a 30    	vmovss DWORD PTR [r10+0x30],xmm1
    7f6c47f098c7:	8d 4d ff             	lea    ecx,[rbp-0x1]
    7f6c47f098ca:	83 f9 01             	cmp    ecx,0x1
    7f6c47f098cd:	0f 8e 0d 03 00 00    	jle    0x7f6c47f09be0
    7f6c47f098d3:	c4 c1 7a 10 42 34    	vmovss xmm0,DWORD PTR [r10+0x34]
    7f6c47f098d9:	c4 c1 7a 58 4d 34    	vaddss xmm1,xmm0,DWORD PTR [r13+0x34]
    7f6c47f098df:	c4 c1 7a 11 4a 34    	vmovss DWORD PTR [r10+0x34],xmm1
    7f6c47f098e5:	c4 c1 7a 10 45 38    	vmovss xmm0,DWORD PTR [r13+0x38]
    7f6c47f098eb:	c4 c1 7a 58 4a 38    	vaddss xmm1,xmm0,DWORD PTR [r10+0x38]
    7f6c47f098f1:	c4 c1 7a 11 4a 38    	vmovss DWORD PTR [r10+0x38],xmm1
    7f6c47f098f7:	be 03 00 00 00       	mov    esi,0x3
    7f6c47f098fc:	3b f5                	cmp    esi,ebp
    7f6c47f098fe:	0f 8c 24 ff ff ff    	jl     0x7f6c47f09828
    7f6c47f09904:	e9 3a ff ff ff       	jmp    0x7f6c47f09843
    7f6c47f09909:	66 66 90             	data16 xchg ax,ax
    7f6c47f0990c:	c4 81 7a 10 4c 8d 50 	vmovss xmm1,DWORD PTR [r13+r9*4+0x50]
    7f6c47f09913:	c4 81 72 58 44 8a 50 	vaddss xmm0,xmm1,DWORD PTR [r10+r9*4+0x50]
    7f6c47f0991a:	c4 81 7a 11 44 8a 50 	vmovss DWORD PTR [r10+r9*4+0x50],xmm0
    7f6c47f09921:	41 ff c1             	inc    r9d
    7f6c47f09924:	44 3b cd             	cmp    r9d,ebp
    7f6c47f09927:	7c e3                	jl     0x7f6c47f0990c
    7f6c47f09929:	4d 8b 4f 30          	mov    r9,QWORD PTR [r15+0x30]
    7f6c47f0992d:	d1 fd                	sar    ebp,1
    7f6c47f0992f:	41 85 01             	test   DWORD PTR [r9],eax
    7f6c47f09932:	83 fd 01             	cmp    ebp,0x1
    7f6c47f09935:	7d 51                	jge    0x7f6c47f09988
    7f6c47f09937:	c4 c1 7a 10 42 50    	vmovss xmm0,DWORD PTR [r10+0x50]
    7f6c47f0993d:	3b c8                	cmp    ecx,eax
    7f6c47f0993f:	0f 83 bf 03 00 00    	jae    0x7f6c47f09d04
    7f6c47f09945:	c4 c1 7a 11 44 88 10 	vmovss DWORD PTR [r8+rcx*4+0x10],xmm0
    7f6c47f0994c:	8b ac 24 f8 00 00 00 	mov    ebp,DWORD PTR [rsp+0xf8]
    7f6c47f09953:	03 ee                	add    ebp,esi
    7f6c47f09955:	41 03 eb             	add    ebp,r11d
    7f6c47f09958:	83 fb 18             	cmp    ebx,0x18
    7f6c47f0995b:	0f 87 09 01 00 00    	ja     0x7f6c47f09a6a
    7f6c47f09961:	be be ff ff ff       	mov    esi,0xffffffbe
    7f6c47f09966:	4c 89 84 24 f0 00 00 	mov    QWORD PTR [rsp+0xf0],r8
    7f6c47f0996d:	00 
    7f6c47f0996e:	4c 89 94 24 f8 00 00 	mov    QWORD PTR [rsp+0xf8],r10
    7f6c47f09975:	00 
    7f6c47f09976:	66 90                	xchg   ax,ax
    7f6c47f09978:	c5 f8 77             	vzeroupper
    7f6c47f0997b:	e8 e0 f7 b4 ff       	call   0x7f6c47a59160
    7f6c47f09980:	0f 1f 84 00 78 08 00 	nop    DWORD PTR [rax+rax*1+0x4000878]
    7f6c47f09987:	04 
    7f6c47f09988:	85 ed                	test   ebp,ebp
    7f6c47f0998a:	7e 9d                	jle    0x7f6c47f09929
    7f6c47f0998c:	44 8d 4d 0f          	lea    r9d,[rbp+0xf]
    7f6c47f09990:	44 3b cb             	cmp    r9d,ebx
    7f6c47f09993:	0f 83 51 02 00 00    	jae    0x7f6c47f09bea
    7f6c47f09999:	44 8d 4d 10          	lea    r9d,[rbp+0x10]
    7f6c47f0999d:	44 3b cb             	cmp    r9d,ebx
    7f6c47f099a0:	0f 83 44 02 00 00    	jae    0x7f6c47f09bea
    7f6c47f099a6:	4c 63 cd             	movsxd r9,ebp
    7f6c47f099a9:	4f 8d 6c 09 0f       	lea    r13,[r9+r9*1+0xf]
    7f6c47f099ae:	4c 3b ea             	cmp    r13,rdx
    7f6c47f099b1:	0f 83 33 02 00 00    	jae    0x7f6c47f09bea
    7f6c47f099b7:	4f 8d 2c 8a          	lea    r13,[r10+r9*4]
    7f6c47f099bb:	c4 c1 7a 10 45 50    	vmovss xmm0,DWORD PTR [r13+0x50]
    7f6c47f099c1:	c4 c1 7a 58 4a 50    	vaddss xmm1,xmm0,DWORD PTR [r10+0x50]
    7f6c47f099c7:	c4 c1 7a 11 4a 50    	vmovss DWORD PTR [r10+0x50],xmm1
    7f6c47f099cd:	44 8d 4d ff          	lea    r9d,[rbp-0x1]
    7f6c47f099d1:	41 83 f9 01          	cmp    r9d,0x1
    7f6c47f099d5:	0f 8e 3d 02 00 00    	jle    0x7f6c47f09c18
    7f6c47f099db:	c4 c1 7a 10 45 54    	vmovss xmm0,DWORD PTR [r13+0x54]
    7f6c47f099e1:	c4 c1 7a 58 4a 54    	vaddss xmm1,xmm0,DWORD PTR [r10+0x54]
    7f6c47f099e7:	c4 c1 7a 11 4a 54    	vmovss DWORD PTR [r10+0x54],xmm1
    7f6c47f099ed:	c4 c1 7a 10 45 58    	vmovss xmm0,DWORD PTR [r13+0x58]
    7f6c47f099f3:	c4 c1 7a 58 4a 58    	vaddss xmm1,xmm0,DWORD PTR [r10+0x58]
    7f6c47f099f9:	c4 c1 7a 11 4a 58    	vmovss DWORD PTR [r10+0x58],xmm1
    7f6c47f099ff:	41 b9 03 00 00 00    	mov    r9d,0x3
    7f6c47f09a05:	44 3b cd             	cmp    r9d,ebp
    7f6c47f09a08:	0f 8c fe fe ff ff    	jl     0x7f6c47f0990c
    7f6c47f09a0e:	e9 16 ff ff ff       	jmp    0x7f6c47f09929
    7f6c47f09a13:	90                   	nop
    7f6c47f09a14:	c4 81 7a 10 4c 99 70 	vmovss xmm1,DWORD PTR [r9+r11*4+0x70]
    7f6c47f09a1b:	c4 81 72 58 44 9a 70 	vaddss xmm0,xmm1,DWORD PTR [r10+r11*4+0x70]
    7f6c47f09a22:	c4 81 7a 11 44 9a 70 	vmovss DWORD PTR [r10+r11*4+0x70],xmm0
    7f6c47f09a29:	41 ff c3             	inc    r11d
    7f6c47f09a2c:	44 3b df             	cmp    r11d,edi
    7f6c47f09a2f:	7c e3                	jl     0x7f6c47f09a14
    7f6c47f09a31:	4d 8b 5f 30          	mov    r11,QWORD PTR [r15+0x30]
    7f6c47f09a35:	d1 ff                	sar    edi,1
    7f6c47f09a37:	41 85 03             	test   DWORD PTR [r11],eax
    7f6c47f09a3a:	83 ff 01             	cmp    edi,0x1
    7f6c47f09a3d:	7d 2b                	jge    0x7f6c47f09a6a
    7f6c47f09a3f:	c4 c1 7a 10 4a 70    	vmovss xmm1,DWORD PTR [r10+0x70]
    7f6c47f09a45:	3b e8                	cmp    ebp,eax
    7f6c47f09a47:	0f 83 f3 02 00 00    	jae    0x7f6c47f09d40
    7f6c47f09a4d:	c4 c1 7a 11 4c a8 10 	vmovss DWORD PTR [r8+rbp*4+0x10],xmm1
    7f6c47f09a54:	c5 f8 77             	vzeroupper
    7f6c47f09a57:	48 81 c4 e0 00 00 00 	add    rsp,0xe0
    7f6c47f09a5e:	5d                   	pop    rbp
    7f6c47f09a5f:	49 3b 67 28          	cmp    rsp,QWORD PTR [r15+0x28]
    7f6c47f09a63:	0f 87 e3 04 00 00    	ja     0x7f6c47f09f4c
    7f6c47f09a69:	c3                   	ret
    7f6c47f09a6a:	85 ff                	test   edi,edi
    7f6c47f09a6c:	7e c3                	jle    0x7f6c47f09a31
    7f6c47f09a6e:	44 8d 4f 17          	lea    r9d,[rdi+0x17]
    7f6c47f09a72:	44 3b cb             	cmp    r9d,ebx
    7f6c47f09a75:	0f 83 a8 01 00 00    	jae    0x7f6c47f09c23
    7f6c47f09a7b:	44 8d 5f 18          	lea    r11d,[rdi+0x18]
    7f6c47f09a7f:	44 3b db             	cmp    r11d,ebx
    7f6c47f09a82:	0f 83 9b 01 00 00    	jae    0x7f6c47f09c23
    7f6c47f09a88:	4c 63 df             	movsxd r11,edi
    7f6c47f09a8b:	4f 8d 4c 1b 17       	lea    r9,[r11+r11*1+0x17]
    7f6c47f09a90:	4c 3b ca             	cmp    r9,rdx
    7f6c47f09a93:	0f 83 8a 01 00 00    	jae    0x7f6c47f09c23
    7f6c47f09a99:	4f 8d 0c 9a          	lea    r9,[r10+r11*4]
    7f6c47f09a9d:	c4 c1 7a 10 49 70    	vmovss xmm1,DWORD PTR [r9+0x70]
    7f6c47f09aa3:	c4 c1 72 58 42 70    	vaddss xmm0,xmm1,DWORD PTR [r10+0x70]
    7f6c47f09aa9:	c4 c1 7a 11 42 70    	vmovss DWORD PTR [r10+0x70],xmm0
    7f6c47f09aaf:	8d 4f ff             	lea    ecx,[rdi-0x1]
    7f6c47f09ab2:	83 f9 01             	cmp    ecx,0x1
    7f6c47f09ab5:	0f 8e 95 01 00 00    	jle    0x7f6c47f09c50
    7f6c47f09abb:	c4 c1 7a 10 41 74    	vmovss xmm0,DWORD PTR [r9+0x74]
    7f6c47f09ac1:	c4 c1 7a 58 4a 74    	vaddss xmm1,xmm0,DWORD PTR [r10+0x74]
    7f6c47f09ac7:	c4 c1 7a 11 4a 74    	vmovss DWORD PTR [r10+0x74],xmm1
    7f6c47f09acd:	c4 c1 7a 10 41 78    	vmovss xmm0,DWORD PTR [r9+0x78]
    7f6c47f09ad3:	c4 c1 7a 58 4a 78    	vaddss xmm1,xmm0,DWORD PTR [r10+0x78]
    7f6c47f09ad9:	c4 c1 7a 11 4a 78    	vmovss DWORD PTR [r10+0x78],xmm1
    7f6c47f09adf:	41 bb 03 00 00 00    	mov    r11d,0x3
    7f6c47f09ae5:	44 3b df             	cmp    r11d,edi
    7f6c47f09ae8:	0f 8c 26 ff ff ff    	jl     0x7f6c47f09a14
    7f6c47f09aee:	e9 3e ff ff ff       	jmp    0x7f6c47f09a31
    7f6c47f09af3:	c4 41 7e 6f d0       	vmovdqu ymm10,ymm8
    7f6c47f09af8:	c4 41 7e 6f d8       	vmovdqu ymm11,ymm8
    7f6c47f09afd:	c4 41 7e 6f e0       	vmovdqu ymm12,ymm8
    7f6c47f09b02:	c4 41 7e 6f c8       	vmovdqu ymm9,ymm8
    7f6c47f09b07:	e9 cf fb ff ff       	jmp    0x7f6c47f096db
    7f6c47f09b0c:	be 6e ff ff ff       	mov    esi,0xffffff6e
    7f6c47f09b11:	8b ac 24 f4 00 00 00 	mov    ebp,DWORD PTR [rsp+0xf4]
    7f6c47f09b18:	44 89 9c 24 f4 00 00 	mov    DWORD PTR [rsp+0xf4],r11d
    7f6c47f09b1f:	00 
    7f6c47f09b20:	89 94 24 fc 00 00 00 	mov    DWORD PTR [rsp+0xfc],edx
    7f6c47f09b27:	89 3c 24             	mov    DWORD PTR [rsp],edi
    7f6c47f09b2a:	c5 7e 7f 54 24 08    	vmovdqu YMMWORD PTR [rsp+0x8],ymm10
    7f6c47f09b30:	c5 7e 7f 5c 24 28    	vmovdqu YMMWORD PTR [rsp+0x28],ymm11
    7f6c47f09b36:	c5 7e 7f 64 24 48    	vmovdqu YMMWORD PTR [rsp+0x48],ymm12
    7f6c47f09b3c:	c5 7e 7f 4c 24 68    	vmovdqu YMMWORD PTR [rsp+0x68],ymm9
    7f6c47f09b42:	c5 7e 7f 84 24 88 00 	vmovdqu YMMWORD PTR [rsp+0x88],ymm8
    7f6c47f09b49:	00 00 
    7f6c47f09b4b:	48 89 8c 24 a8 00 00 	mov    QWORD PTR [rsp+0xa8],rcx
    7f6c47f09b52:	00 
    7f6c47f09b53:	48 89 84 24 b0 00 00 	mov    QWORD PTR [rsp+0xb0],rax
    7f6c47f09b5a:	00 
    7f6c47f09b5b:	c5 7b 11 ac 24 b8 00 	vmovsd QWORD PTR [rsp+0xb8],xmm13
    7f6c47f09b62:	00 00 
    7f6c47f09b64:	44 89 ac 24 c0 00 00 	mov    DWORD PTR [rsp+0xc0],r13d
    7f6c47f09b6b:	00 
    7f6c47f09b6c:	44 89 b4 24 c4 00 00 	mov    DWORD PTR [rsp+0xc4],r14d
    7f6c47f09b73:	00 
    7f6c47f09b74:	c5 f8 77             	vzeroupper
    7f6c47f09b77:	e8 e4 f5 b4 ff       	call   0x7f6c47a59160
    7f6c47f09b7c:	0f 1f 84 00 74 0a 00 	nop    DWORD PTR [rax+rax*1+0x6000a74]
    7f6c47f09b83:	06 
    7f6c47f09b84:	be 6e ff ff ff       	mov    esi,0xffffff6e
    7f6c47f09b89:	c5 7b 11 6c 24 08    	vmovsd QWORD PTR [rsp+0x8],xmm13
    7f6c47f09b8f:	4c 89 54 24 10       	mov    QWORD PTR [rsp+0x10],r10
    7f6c47f09b94:	c5 f8 77             	vzeroupper
    7f6c47f09b97:	e8 c4 f5 b4 ff       	call   0x7f6c47a59160
    7f6c47f09b9c:	0f 1f 84 00 94 0a 00 	nop    DWORD PTR [rax+rax*1+0x7000a94]
    7f6c47f09ba3:	07 
    7f6c47f09ba4:	41 b8 01 00 00 00    	mov    r8d,0x1
    7f6c47f09baa:	e9 6a fc ff ff       	jmp    0x7f6c47f09819
    7f6c47f09baf:	be 6e ff ff ff       	mov    esi,0xffffff6e
    7f6c47f09bb4:	44 89 9c 24 fc 00 00 	mov    DWORD PTR [rsp+0xfc],r11d
    7f6c47f09bbb:	00 
    7f6c47f09bbc:	4c 89 94 24 00 01 00 	mov    QWORD PTR [rsp+0x100],r10
    7f6c47f09bc3:	00 
    7f6c47f09bc4:	4c 89 04 24          	mov    QWORD PTR [rsp],r8
    7f6c47f09bc8:	44 89 4c 24 08       	mov    DWORD PTR [rsp+0x8],r9d
    7f6c47f09bcd:	66 66 90             	data16 xchg ax,ax
    7f6c47f09bd0:	c5 f8 77             	vzeroupper
    7f6c47f09bd3:	e8 88 f5 b4 ff       	call   0x7f6c47a59160
    7f6c47f09bd8:	0f 1f 84 00 d0 0a 00 	nop    DWORD PTR [rax+rax*1+0x8000ad0]
    7f6c47f09bdf:	08 
    7f6c47f09be0:	be 01 00 00 00       	mov    esi,0x1
    7f6c47f09be5:	e9 12 fd ff ff       	jmp    0x7f6c47f098fc
    7f6c47f09bea:	be 6e ff ff ff       	mov    esi,0xffffff6e
    7f6c47f09bef:	44 89 9c 24 fc 00 00 	mov    DWORD PTR [rsp+0xfc],r11d
    7f6c47f09bf6:	00 
    7f6c47f09bf7:	4c 89 94 24 00 01 00 	mov    QWORD PTR [rsp+0x100],r10
    7f6c47f09bfe:	00 
    7f6c47f09bff:	4c 89 04 24          	mov    QWORD PTR [rsp],r8
    7f6c47f09c03:	89 4c 24 08          	mov    DWORD PTR [rsp+0x8],ecx
    7f6c47f09c07:	90                   	nop
    7f6c47f09c08:	c5 f8 77             	vzeroupper
    7f6c47f09c0b:	e8 50 f5 b4 ff       	call   0x7f6c47a59160
    7f6c47f09c10:	0f 1f 84 00 08 0b 00 	nop    DWORD PTR [rax+rax*1+0x9000b08]
    7f6c47f09c17:	09 
    7f6c47f09c18:	41 b9 01 00 00 00    	mov    r9d,0x1
    7f6c47f09c1e:	e9 e2 fd ff ff       	jmp    0x7f6c47f09a05
    7f6c47f09c23:	be 6e ff ff ff       	mov    esi,0xffffff6e
    7f6c47f09c28:	4c 89 84 24 f0 00 00 	mov    QWORD PTR [rsp+0xf0],r8
    7f6c47f09c2f:	00 
    7f6c47f09c30:	4c 89 94 24 f8 00 00 	mov    QWORD PTR [rsp+0xf8],r10
    7f6c47f09c37:	00 
    7f6c47f09c38:	89 bc 24 04 01 00 00 	mov    DWORD PTR [rsp+0x104],edi
    7f6c47f09c3f:	90                   	nop
    7f6c47f09c40:	c5 f8 77             	vzeroupper
    7f6c47f09c43:	e8 18 f5 b4 ff       	call   0x7f6c47a59160
    7f6c47f09c48:	0f 1f 84 00 40 0b 00 	nop    DWORD PTR [rax+rax*1+0xa000b40]
    7f6c47f09c4f:	0a 
    7f6c47f09c50:	41 bb 01 00 00 00    	mov    r11d,0x1
    7f6c47f09c56:	e9 8a fe ff ff       	jmp    0x7f6c47f09ae5
    7f6c47f09c5b:	be e4 ff ff ff       	mov    esi,0xffffffe4
    7f6c47f09c60:	c5 7e 7f 54 24 08    	vmovdqu YMMWORD PTR [rsp+0x8],ymm10
    7f6c47f09c66:	c5 7e 7f 5c 24 28    	vmovdqu YMMWORD PTR [rsp+0x28],ymm11
    7f6c47f09c6c:	c5 7e 7f 64 24 48    	vmovdqu YMMWORD PTR [rsp+0x48],ymm12
    7f6c47f09c72:	c5 7e 7f 4c 24 68    	vmovdqu YMMWORD PTR [rsp+0x68],ymm9
    7f6c47f09c78:	c5 7b 11 ac 24 00 01 	vmovsd QWORD PTR [rsp+0x100],xmm13
    7f6c47f09c7f:	00 00 
    7f6c47f09c81:	4c 89 94 24 88 00 00 	mov    QWORD PTR [rsp+0x88],r10
    7f6c47f09c88:	00 
    7f6c47f09c89:	66 66 90             	data16 xchg ax,ax
    7f6c47f09c8c:	c5 f8 77             	vzeroupper
    7f6c47f09c8f:	e8 cc f4 b4 ff       	call   0x7f6c47a59160
    7f6c47f09c94:	0f 1f 84 00 8c 0b 00 	nop    DWORD PTR [rax+rax*1+0xb000b8c]
    7f6c47f09c9b:	0b 
    7f6c47f09c9c:	be e4 ff ff ff       	mov    esi,0xffffffe4
    7f6c47f09ca1:	4c 89 94 24 00 01 00 	mov    QWORD PTR [rsp+0x100],r10
    7f6c47f09ca8:	00 
    7f6c47f09ca9:	4c 89 04 24          	mov    QWORD PTR [rsp],r8
    7f6c47f09cad:	c5 fa 11 84 24 fc 00 	vmovss DWORD PTR [rsp+0xfc],xmm0
    7f6c47f09cb4:	00 00 
    7f6c47f09cb6:	66 90                	xchg   ax,ax
    7f6c47f09cb8:	c5 f8 77             	vzeroupper
    7f6c47f09cbb:	e8 a0 f4 b4 ff       	call   0x7f6c47a59160
    7f6c47f09cc0:	0f 1f 84 00 b8 0b 00 	nop    DWORD PTR [rax+rax*1+0xc000bb8]
    7f6c47f09cc7:	0c 
    7f6c47f09cc8:	be e4 ff ff ff       	mov    esi,0xffffffe4
    7f6c47f09ccd:	44 89 9c 24 f0 00 00 	mov    DWORD PTR [rsp+0xf0],r11d
    7f6c47f09cd4:	00 
    7f6c47f09cd5:	4c 89 94 24 00 01 00 	mov    QWORD PTR [rsp+0x100],r10
    7f6c47f09cdc:	00 
    7f6c47f09cdd:	4c 89 04 24          	mov    QWORD PTR [rsp],r8
    7f6c47f09ce1:	44 89 8c 24 f4 00 00 	mov    DWORD PTR [rsp+0xf4],r9d
    7f6c47f09ce8:	00 
    7f6c47f09ce9:	c5 fa 11 8c 24 fc 00 	vmovss DWORD PTR [rsp+0xfc],xmm1
    7f6c47f09cf0:	00 00 
    7f6c47f09cf2:	66 90                	xchg   ax,ax
    7f6c47f09cf4:	c5 f8 77             	vzeroupper
    7f6c47f09cf7:	e8 64 f4 b4 ff       	call   0x7f6c47a59160
    7f6c47f09cfc:	0f 1f 84 00 f4 0b 00 	nop    DWORD PTR [rax+rax*1+0xd000bf4]
    7f6c47f09d03:	0d 
    7f6c47f09d04:	be e4 ff ff ff       	mov    esi,0xffffffe4
    7f6c47f09d09:	44 89 9c 24 f0 00 00 	mov    DWORD PTR [rsp+0xf0],r11d
    7f6c47f09d10:	00 
    7f6c47f09d11:	4c 89 94 24 00 01 00 	mov    QWORD PTR [rsp+0x100],r10
    7f6c47f09d18:	00 
    7f6c47f09d19:	4c 89 04 24          	mov    QWORD PTR [rsp],r8
    7f6c47f09d1d:	89 8c 24 f4 00 00 00 	mov    DWORD PTR [rsp+0xf4],ecx
    7f6c47f09d24:	c5 fa 11 84 24 fc 00 	vmovss DWORD PTR [rsp+0xfc],xmm0
    7f6c47f09d2b:	00 00 
    7f6c47f09d2d:	66 66 90             	data16 xchg ax,ax
    7f6c47f09d30:	c5 f8 77             	vzeroupper
    7f6c47f09d33:	e8 28 f4 b4 ff       	call   0x7f6c47a59160
    7f6c47f09d38:	0f 1f 84 00 30 0c 00 	nop    DWORD PTR [rax+rax*1+0xe000c30]
    7f6c47f09d3f:	0e 
    7f6c47f09d40:	be e4 ff ff ff       	mov    esi,0xffffffe4
    7f6c47f09d45:	4c 89 84 24 f0 00 00 	mov    QWORD PTR [rsp+0xf0],r8
    7f6c47f09d4c:	00 
    7f6c47f09d4d:	c5 fa 11 8c 24 f8 00 	vmovss DWORD PTR [rsp+0xf8],xmm1
    7f6c47f09d54:	00 00 
    7f6c47f09d56:	66 90                	xchg   ax,ax
    7f6c47f09d58:	c5 f8 77             	vzeroupper
    7f6c47f09d5b:	e8 00 f4 b4 ff       	call   0x7f6c47a59160
    7f6c47f09d60:	0f 1f 84 00 58 0c 00 	nop    DWORD PTR [rax+rax*1+0xf000c58]
    7f6c47f09d67:	0f 
    7f6c47f09d68:	be cc ff ff ff       	mov    esi,0xffffffcc
    7f6c47f09d6d:	c5 7e 7f 54 24 08    	vmovdqu YMMWORD PTR [rsp+0x8],ymm10
    7f6c47f09d73:	c5 7e 7f 5c 24 28    	vmovdqu YMMWORD PTR [rsp+0x28],ymm11
    7f6c47f09d79:	c5 7e 7f 64 24 48    	vmovdqu YMMWORD PTR [rsp+0x48],ymm12
    7f6c47f09d7f:	c5 7e 7f 4c 24 68    	vmovdqu YMMWORD PTR [rsp+0x68],ymm9
    7f6c47f09d85:	c5 7b 11 ac 24 00 01 	vmovsd QWORD PTR [rsp+0x100],xmm13
    7f6c47f09d8c:	00 00 
    7f6c47f09d8e:	4c 89 94 24 88 00 00 	mov    QWORD PTR [rsp+0x88],r10
    7f6c47f09d95:	00 
    7f6c47f09d96:	66 90                	xchg   ax,ax
    7f6c47f09d98:	c5 f8 77             	vzeroupper
    7f6c47f09d9b:	e8 c0 f3 b4 ff       	call   0x7f6c47a59160
    7f6c47f09da0:	0f 1f 84 00 98 0c 00 	nop    DWORD PTR [rax+rax*1+0x10000c98]
    7f6c47f09da7:	10 
    7f6c47f09da8:	be e4 ff ff ff       	mov    esi,0xffffffe4
    7f6c47f09dad:	c5 7e 7f 54 24 08    	vmovdqu YMMWORD PTR [rsp+0x8],ymm10
    7f6c47f09db3:	c5 7e 7f 5c 24 28    	vmovdqu YMMWORD PTR [rsp+0x28],ymm11
    7f6c47f09db9:	c5 7e 7f 64 24 48    	vmovdqu YMMWORD PTR [rsp+0x48],ymm12
    7f6c47f09dbf:	c5 7b 11 ac 24 00 01 	vmovsd QWORD PTR [rsp+0x100],xmm13
    7f6c47f09dc6:	00 00 
    7f6c47f09dc8:	4c 89 54 24 68       	mov    QWORD PTR [rsp+0x68],r10
    7f6c47f09dcd:	66 66 90             	data16 xchg ax,ax
    7f6c47f09dd0:	c5 f8 77             	vzeroupper
    7f6c47f09dd3:	e8 88 f3 b4 ff       	call   0x7f6c47a59160
    7f6c47f09dd8:	0f 1f 84 00 d0 0c 00 	nop    DWORD PTR [rax+rax*1+0x11000cd0]
    7f6c47f09ddf:	11 
    7f6c47f09de0:	be be ff ff ff       	mov    esi,0xffffffbe
    7f6c47f09de5:	c4 61 f9 7e ed       	vmovq  rbp,xmm13
    7f6c47f09dea:	66 90                	xchg   ax,ax
    7f6c47f09dec:	c5 f8 77             	vzeroupper
    7f6c47f09def:	e8 6c f3 b4 ff       	call   0x7f6c47a59160
    7f6c47f09df4:	0f 1f 84 00 ec 0c 00 	nop    DWORD PTR [rax+rax*1+0x12000cec]
    7f6c47f09dfb:	12 
    7f6c47f09dfc:	be be ff ff ff       	mov    esi,0xffffffbe
    7f6c47f09e01:	4c 89 94 24 00 01 00 	mov    QWORD PTR [rsp+0x100],r10
    7f6c47f09e08:	00 
    7f6c47f09e09:	4c 89 04 24          	mov    QWORD PTR [rsp],r8
    7f6c47f09e0d:	44 89 8c 24 f4 00 00 	mov    DWORD PTR [rsp+0xf4],r9d
    7f6c47f09e14:	00 
    7f6c47f09e15:	66 66 90             	data16 xchg ax,ax
    7f6c47f09e18:	c5 f8 77             	vzeroupper
    7f6c47f09e1b:	e8 40 f3 b4 ff       	call   0x7f6c47a59160
    7f6c47f09e20:	0f 1f 84 00 18 0d 00 	nop    DWORD PTR [rax+rax*1+0x13000d18]
    7f6c47f09e27:	13 
    7f6c47f09e28:	be be ff ff ff       	mov    esi,0xffffffbe
    7f6c47f09e2d:	44 89 9c 24 f0 00 00 	mov    DWORD PTR [rsp+0xf0],r11d
    7f6c47f09e34:	00 
    7f6c47f09e35:	4c 89 94 24 00 01 00 	mov    QWORD PTR [rsp+0x100],r10
    7f6c47f09e3c:	00 
    7f6c47f09e3d:	4c 89 04 24          	mov    QWORD PTR [rsp],r8
    7f6c47f09e41:	89 8c 24 f4 00 00 00 	mov    DWORD PTR [rsp+0xf4],ecx
    7f6c47f09e48:	c5 f8 77             	vzeroupper
    7f6c47f09e4b:	e8 10 f3 b4 ff       	call   0x7f6c47a59160
    7f6c47f09e50:	0f 1f 84 00 48 0d 00 	nop    DWORD PTR [rax+rax*1+0x14000d48]
    7f6c47f09e57:	14 
    7f6c47f09e58:	44 8b e8             	mov    r13d,eax
    7f6c47f09e5b:	48 8b c5             	mov    rax,rbp
    7f6c47f09e5e:	eb 06                	jmp    0x7f6c47f09e66
    7f6c47f09e60:	44 8b ea             	mov    r13d,edx
    7f6c47f09e63:	48 8b c5             	mov    rax,rbp
    7f6c47f09e66:	be be ff ff ff       	mov    esi,0xffffffbe
    7f6c47f09e6b:	41 8b e8             	mov    ebp,r8d
    7f6c47f09e6e:	c5 7e 7f 44 24 08    	vmovdqu YMMWORD PTR [rsp+0x8],ymm8
    7f6c47f09e74:	48 89 4c 24 28       	mov    QWORD PTR [rsp+0x28],rcx
    7f6c47f09e79:	48 89 44 24 30       	mov    QWORD PTR [rsp+0x30],rax
    7f6c47f09e7e:	c5 7b 11 6c 24 38    	vmovsd QWORD PTR [rsp+0x38],xmm13
    7f6c47f09e84:	44 89 ac 24 fc 00 00 	mov    DWORD PTR [rsp+0xfc],r13d
    7f6c47f09e8b:	00 
    7f6c47f09e8c:	44 89 34 24          	mov    DWORD PTR [rsp],r14d
    7f6c47f09e90:	89 7c 24 40          	mov    DWORD PTR [rsp+0x40],edi
    7f6c47f09e94:	c5 f8 77             	vzeroupper
    7f6c47f09e97:	e8 c4 f2 b4 ff       	call   0x7f6c47a59160
    7f6c47f09e9c:	0f 1f 84 00 94 0d 00 	nop    DWORD PTR [rax+rax*1+0x15000d94]
    7f6c47f09ea3:	15 
    7f6c47f09ea4:	44 8b e8             	mov    r13d,eax
    7f6c47f09ea7:	48 8b c5             	mov    rax,rbp
    7f6c47f09eaa:	eb ba                	jmp    0x7f6c47f09e66
    7f6c47f09eac:	48 8b c5             	mov    rax,rbp
    7f6c47f09eaf:	eb b5                	jmp    0x7f6c47f09e66
    7f6c47f09eb1:	48 8b c5             	mov    rax,rbp
    7f6c47f09eb4:	eb b0                	jmp    0x7f6c47f09e66
    7f6c47f09eb6:	48 8b c5             	mov    rax,rbp
    7f6c47f09eb9:	eb ab                	jmp    0x7f6c47f09e66
    7f6c47f09ebb:	48 8b c5             	mov    rax,rbp
    7f6c47f09ebe:	eb a6                	jmp    0x7f6c47f09e66
    7f6c47f09ec0:	48 8b c5             	mov    rax,rbp
    7f6c47f09ec3:	eb a1                	jmp    0x7f6c47f09e66
    7f6c47f09ec5:	48 8b c5             	mov    rax,rbp
    7f6c47f09ec8:	eb 9c                	jmp    0x7f6c47f09e66
    7f6c47f09eca:	48 8b c5             	mov    rax,rbp
    7f6c47f09ecd:	eb 97                	jmp    0x7f6c47f09e66
    7f6c47f09ecf:	48 8b c5             	mov    rax,rbp
    7f6c47f09ed2:	eb 92                	jmp    0x7f6c47f09e66
    7f6c47f09ed4:	48 8b c5             	mov    rax,rbp
    7f6c47f09ed7:	eb 8d                	jmp    0x7f6c47f09e66
    7f6c47f09ed9:	48 8b c5             	mov    rax,rbp
    7f6c47f09edc:	eb 88                	jmp    0x7f6c47f09e66
    7f6c47f09ede:	48 8b c5             	mov    rax,rbp
    7f6c47f09ee1:	eb 83                	jmp    0x7f6c47f09e66
    7f6c47f09ee3:	48 8b c5             	mov    rax,rbp
    7f6c47f09ee6:	e9 7b ff ff ff       	jmp    0x7f6c47f09e66
    7f6c47f09eeb:	44 8b ea             	mov    r13d,edx
    7f6c47f09eee:	48 8b c5             	mov    rax,rbp
    7f6c47f09ef1:	e9 70 ff ff ff       	jmp    0x7f6c47f09e66
    7f6c47f09ef6:	44 8b ea             	mov    r13d,edx
    7f6c47f09ef9:	48 8b c5             	mov    rax,rbp
    7f6c47f09efc:	e9 65 ff ff ff       	jmp    0x7f6c47f09e66
    7f6c47f09f01:	44 8b e8             	mov    r13d,eax
    7f6c47f09f04:	48 8b c5             	mov    rax,rbp
    7f6c47f09f07:	e9 5a ff ff ff       	jmp    0x7f6c47f09e66
    7f6c47f09f0c:	be f6 ff ff ff       	mov    esi,0xfffffff6
    7f6c47f09f11:	66 66 90             	data16 xchg ax,ax
    7f6c47f09f14:	c5 f8 77             	vzeroupper
    7f6c47f09f17:	e8 44 f2 b4 ff       	call   0x7f6c47a59160
    7f6c47f09f1c:	0f 1f 84 00 14 0e 00 	nop    DWORD PTR [rax+rax*1+0x16000e14]
    7f6c47f09f23:	16 
    7f6c47f09f24:	be f6 ff ff ff       	mov    esi,0xfffffff6
    7f6c47f09f29:	8b ac 24 f0 00 00 00 	mov    ebp,DWORD PTR [rsp+0xf0]
    7f6c47f09f30:	c5 fa 11 84 24 f0 00 	vmovss DWORD PTR [rsp+0xf0],xmm0
    7f6c47f09f37:	00 00 
    7f6c47f09f39:	66 66 90             	data16 xchg ax,ax
    7f6c47f09f3c:	c5 f8 77             	vzeroupper
    7f6c47f09f3f:	e8 1c f2 b4 ff       	call   0x7f6c47a59160
    7f6c47f09f44:	0f 1f 84 00 3c 0e 00 	nop    DWORD PTR [rax+rax*1+0x17000e3c]
    7f6c47f09f4b:	17 
    7f6c47f09f4c:	49 ba 5f 9a f0 47 6c 	movabs r10,0x7f6c47f09a5f
    7f6c47f09f53:	7f 00 00 
    7f6c47f09f56:	4d 89 97 38 05 00 00 	mov    QWORD PTR [r15+0x538],r10
    7f6c47f09f5d:	e9 fe e8 a7 ff       	jmp    0x7f6c47988860
    7f6c47f09f62:	e8 f9 3f a6 ff       	call   0x7f6c4796df60
    7f6c47f09f67:	e9 b2 f2 ff ff       	jmp    0x7f6c47f0921e
    7f6c47f09f6c:	f4                   	hlt
    7f6c47f09f6d:	f4                   	hlt
    7f6c47f09f6e:	f4                   	hlt
    7f6c47f09f6f:	f4                   	hlt
    7f6c47f09f70:	e9 eb f4 b4 ff       	jmp    0x7f6c47a59460
    7f6c47f09f75:	e8 00 00 00 00       	call   0x7f6c47f09f7a
    7f6c47f09f7a:	48 83 2c 24 05       	sub    QWORD PTR [rsp],0x5
    7f6c47f09f7f:	e9 dc eb a7 ff       	jmp    0x7f6c47988b60
    7f6c47f09f84:	f4                   	hlt
    7f6c47f09f85:	f4                   	hlt
    7f6c47f09f86:	f4                   	hlt
    7f6c47f09f87:	f4                   	hlt
