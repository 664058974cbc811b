# Simulator board: desktop window or headless, device models on the far end of the wire.
BOARD_SRC := $(wildcard board/sim/*.c)
