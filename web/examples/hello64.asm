; Hello World for 64-bit Linux: the syscall instruction, arguments in rdi, rsi, rdx.
        bits 64
        default rel
        global _start

        section .text
_start: mov eax, 1              ; sys_write
        mov edi, 1              ; fd 1: stdout
        lea rsi, [msg]          ; buffer (RIP-relative)
        mov edx, len            ; length
        syscall
        mov eax, 60             ; sys_exit
        xor edi, edi            ; status 0
        syscall

        section .rodata
msg:    db "Hello World", 10
len     equ $ - msg
