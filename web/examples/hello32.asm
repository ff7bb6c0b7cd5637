; Hello World for 32-bit Linux: write(1, msg, len) then exit(0), through int 0x80.
        bits 32
        global _start

        section .text
_start: mov eax, 4              ; sys_write
        mov ebx, 1              ; fd 1: stdout
        mov ecx, msg            ; buffer
        mov edx, len            ; length
        int 0x80
        mov eax, 1              ; sys_exit
        xor ebx, ebx            ; status 0
        int 0x80

        section .data
msg:    db "Hello World", 10
len     equ $ - msg
