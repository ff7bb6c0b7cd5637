/**
 * The instruction classes the issue reports on, decided from a source line's
 * mnemonic and operands (for the per-class / per-mode corpus table).
 */
export const CLASSES = [
  'general',
  'system',
  'x87',
  'mmx',
  '3dnow',
  'sse',
  'sse2',
  'sse3',
  'ssse3',
  'sse4.1',
  'sse4.2',
  'aes',
  'pclmulqdq',
  'sha',
  'gfni',
] as const;
export type InstructionClass = (typeof CLASSES)[number];

const THREE_DNOW = /^(pf\w+|pi2f[dw]|pavgusb|pmulhrwa|pswapd|femms|pf2i[dw])$/;
const SSE3 = /^(addsubp[sd]|haddp[sd]|hsubp[sd]|lddqu|movddup|movs[hl]dup|fisttp|monitor|mwait)$/;
const SSSE3 = /^(pshufb|phaddw|phaddd|phaddsw|pmaddubsw|phsubw|phsubd|phsubsw|psign[bwd]|pmulhrsw|pabs[bwd]|palignr)$/;
const SSE41 =
  /^(ptest|pmov[sz]x\w+|pmuldq|pcmpeqq|packusdw|pmin[su][bwd]|pmax[su][bwd]|pmulld|phminposuw|movntdqa|pblendvb|blendvp[sd]|blendp[sd]|pblendw|roundp[sd]|rounds[sd]|dpp[sd]|mpsadbw|pextr[bdq]|extractps|pinsr[bdq]|insertps)$/;
const SSE42 = /^(pcmpgtq|pcmp[ei]str[im]|crc32|popcnt)$/;
const SYSTEM =
  /^(lgdt|sgdt|lidt|sidt|lldt|sldt|ltr|str|lmsw|smsw|invlpg\w*|verr|verw|lar|lsl|clts|rdmsr|wrmsr\w*|rdmsrlist|vm\w+|invd|wbinvd|wbnoinvd|rsm|sysenter|sysexit|syscall|sysret|hlt|xsave\w*|xrstor\w*|fxsave\w*|fxrstor\w*|xgetbv|xsetbv|swapgs|rdtscp?|rdpmc|cpuid|monitorx?|mwaitx?|invept|invvpid|invpcid|clgi|stgi|skinit|getsec|encl[suv]|rdpkru|wrpkru|clac|stac|loadall\w*|umov|arpl|cli|sti|in|out|ins[bwd]?|outs[bwd]?|iret[dwq]?|[rw][df]sbase|[rw]dgsbase|smi|rdshr|wrshr|smint\w*|svdc|rsdc|svldt|rsldt|svts|rsts|cpu_(read|write)|dmint|rdm|pconfig|pvalidate|rmpadjust|serialize|hreset|uiret|testui|clui|stui|senduipi|rdpid|rdsspd|incsspd|saveprevssp|setssbsy|clrssbsy|rstorssp|wrssd|wrussd|endbr(32|64)|ptwrite|xresldtrk|xsusldtrk|pcommit|jmpe|ibts|xbts|xstore|xcrypt\w+|montmul|xsha\w+)$/;

function mnemonicOf(line: string): string {
  const words = line.toLowerCase().split(/[\s,]+/);
  const prefix = /^(o16|o32|a16|a32|rep\w*|lock|bnd|wait|xacquire|xrelease|[c-gs]s)$/;
  for (const w of words) if (!prefix.test(w)) return w;
  return words[words.length - 1] ?? '';
}

export function classify(line: string): InstructionClass {
  const l = line.toLowerCase();
  const m = mnemonicOf(l);
  if (/^aes/.test(m)) return 'aes';
  if (/^pclmul/.test(m)) return 'pclmulqdq';
  if (/^sha(1|256)/.test(m)) return 'sha';
  if (/^gf2p8/.test(m)) return 'gfni';
  if (THREE_DNOW.test(m)) return '3dnow';
  if (SSE42.test(m)) return 'sse4.2';
  if (SSE41.test(m)) return 'sse4.1';
  if (SSSE3.test(m)) return 'ssse3';
  if (SSE3.test(m)) return 'sse3';
  if (SYSTEM.test(m) || /\b(cr\d|dr\d|tr\d)\b/.test(l)) return 'system';
  if (/^f/.test(m)) return 'x87';
  const xmm = /\bxmm\d\b/.test(l);
  if (xmm || /^(ldmxcsr|stmxcsr|sfence|lfence|mfence|clflush\w*|movnti|maskmovdqu|pause|prefetch(nta|t\d))$/.test(m)) {
    if (
      /^(ldmxcsr|stmxcsr|sfence|prefetch(nta|t\d))$/.test(m) ||
      (/(ps|ss)$/.test(m) && !/^(cvtps2pd|cvtss2sd|cvtdq2ps|cvtps2dq|cvttps2dq|movmskps)$/.test(m)) ||
      /^(movlhps|movhlps|cvtpi2ps|cvtps2pi|cvttps2pi)$/.test(m)
    )
      return 'sse';
    return 'sse2';
  }
  if (/\bmm\d\b/.test(l) || m === 'emms') {
    // The integer-SSE additions to MMX (pavgb…) and the SSE2 ones on MMX registers count with their SSE level.
    if (/^(pavg[bw]|pmaxsw|pmaxub|pminsw|pminub|pmulhuw|psadbw|pshufw|pinsrw|pextrw|pmovmskb|movntq|maskmovq)$/.test(m))
      return 'sse';
    if (/^(paddq|psubq|pmuludq|movdq2q|movq2dq)$/.test(m)) return 'sse2';
    return 'mmx';
  }
  return 'general';
}
