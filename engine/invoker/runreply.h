// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "container.h"
#include "invoker.h"

namespace Feedscope::Engine {

// Reads one line of the runner channel (see Container: {"status": N, "body": ...} per line);
// anything else (not JSON, no status) is a reply with status 0, "no valid reply".
Container::Reply parseRunnerReply(const QByteArray &line);

// Turns a runner's /run reply into status and result exactly as the invoker of OpenWhisk does
// (PROTOCOL.md 2.2, ActivationResult.scala). `replyStatus` 0 means no valid reply arrived.
void applyRunReply(InvocationOutcome &outcome,
                   int replyStatus,
                   const QJsonValue &body,
                   const QByteArray &raw,
                   qint64 maxResultBytes);

// The outcome of an /init that did not answer 200.
void applyInitFailure(InvocationOutcome &outcome, int replyStatus, const QJsonValue &body);

} // namespace Feedscope::Engine
