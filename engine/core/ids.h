// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

namespace Feedscope::Engine {

// A 32-character alphanumeric transaction id (X-Request-ID and the error `code`).
QByteArray newTransactionId();
// A 32-character lower-case hex activation id.
QString newActivationId();
// Milliseconds since the epoch, the unit of every time field (PROTOCOL.md 0).
qint64 nowMs();

} // namespace Feedscope::Engine
