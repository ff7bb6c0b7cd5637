; A flat binary (-f bin): a 16-bit boot sector that prints a message through the BIOS.
        bits 16
        org 0x7c00

start:  mov si, msg
.next:  lodsb
        test al, al
        jz .done
        mov ah, 0x0e            ; BIOS teletype output
        int 0x10
        jmp .next
.done:  hlt
        jmp .done

msg:    db "Hello World", 0
        times 510 - ($ - $$) db 0
        dw 0xaa55
