// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "invoker.h"

namespace Feedscope::Engine {

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
