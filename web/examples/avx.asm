; AVX: eight single-precision additions in one instruction (VEX-encoded).
; tsnasm learns VEX/EVEX in a later release; nasm 2.16.01 assembles this.
        bits 64
        global _start

        section .text
_start: vmovaps ymm0, [rel a]
        vaddps ymm0, ymm0, [rel b]
        vmovaps [rel sum], ymm0
        vzeroupper
        mov eax, 60             ; sys_exit
        xor edi, edi
        syscall

        section .data
        align 32
a:      dd 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0
b:      dd 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0
sum:    times 8 dd 0
