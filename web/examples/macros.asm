; Macros: %macro with parameters, a %rep loop building a table, and %assign.
        bits 32
        global _start

%macro write 2                  ; write buffer, length
        mov eax, 4
        mov ebx, 1
        mov ecx, %1
        mov edx, %2
        int 0x80
%endmacro

%macro exit 1
        mov eax, 1
        mov ebx, %1
        int 0x80
%endmacro

        section .text
_start: write msg, len
        write squares, 10
        write newline, 1
        exit 0

        section .data
msg:    db "Hello World", 10
len     equ $ - msg
squares:
%assign i 0
%rep 10
        db '0' + (i * i) % 10   ; last digit of i²
%assign i i + 1
%endrep
newline: db 10
