// SPDX-License-Identifier: GPL-3.0-or-later
// What a runner writes on its channel, one reply per line, turned into an activation's status
// and result (run and init replies), with a small result limit so truncation is reached.
#include "invoker/runreply.h"

#include <cstddef>
#include <cstdint>

using namespace Feedscope::Engine;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    for (const QByteArray &line : input.split('\n')) {
        const Container::Reply reply = parseRunnerReply(line);
        InvocationOutcome run;
        applyRunReply(run, reply.status, reply.body, reply.raw, 256);
        InvocationOutcome init;
        applyInitFailure(init, reply.status, reply.body);
    }
    return 0;
}
