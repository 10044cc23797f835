// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "webhookcapture.h"

#include <QString>

#include <optional>

namespace Feedscope::Ui {

// A capture as the webhook console's detail panes show it.
namespace WebhookCaptureText {

// The request as it arrived: request line, headers, a blank line and the body — text as text,
// anything else as a hex dump, so that every byte is visible. `original` is what a replay
// repeats, when it is still kept.
QString request(const WebhookCapture &capture, const WebhookCapture *original = nullptr);
// What became of it: the status the sender got and why, the activation, the forward's round
// trip, and the API's answer.
QString outcome(const WebhookCapture &capture);
// `bytes` as text when they are UTF-8 without control bytes other than white space, else nothing.
std::optional<QString> printable(const QByteArray &bytes);
// 16 bytes a line: offset, hex, and the printable ASCII.
QString hexDump(const QByteArray &bytes);

} // namespace WebhookCaptureText

} // namespace Feedscope::Ui
