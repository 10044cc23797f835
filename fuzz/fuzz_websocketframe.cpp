// SPDX-License-Identifier: GPL-3.0-or-later
// Client frames of the activity-stream WebSocket, arriving in pieces: the first byte sets the
// size of the pieces the rest is delivered in, as a socket's reads would split it.
#include "http/websocket.h"

#include <cstddef>
#include <cstdint>

using namespace Feedscope::Http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype piece = qsizetype(data[0]) + 1;
    const QByteArray input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    QByteArray buffer;
    WebSocketFrame frame;
    for (qsizetype at = 0; at < input.size(); at += piece) {
        buffer.append(input.mid(at, piece));
        FrameRead read;
        while ((read = takeWebSocketFrame(buffer, frame)) == FrameRead::Frame) {
            if (frame.payload.size() > qsizetype(maxClientFrameBytes))
                __builtin_trap();
        }
        if (read == FrameRead::TooLarge)
            break; // the connection closes here
    }
    return 0;
}
