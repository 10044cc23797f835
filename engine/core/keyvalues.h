// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

namespace Feedscope::Engine {

// Parameters and annotations are arrays of {"key", "value"} (PROTOCOL.md 0). These helpers keep
// that representation and its "rightmost wins" merge rule in one place.
namespace KeyValues {

// The value for `key`, or Undefined.
QJsonValue value(const QJsonArray &pairs, QStringView key);
bool isTrue(const QJsonArray &pairs, QStringView key);
// `base` with every key of `overrides` replaced or appended, in order.
QJsonArray merged(const QJsonArray &base, const QJsonArray &overrides);
// `pairs` with `key` set to `value` (replaced in place or appended).
QJsonArray with(const QJsonArray &pairs, const QString &key, const QJsonValue &value);
QJsonArray without(const QJsonArray &pairs, const QStringList &keys);
QJsonObject toObject(const QJsonArray &pairs);
// Validates a request field: an array of objects each holding a string `key`. Returns false on
// any other shape.
bool isWellFormed(const QJsonValue &value);

} // namespace KeyValues
} // namespace Feedscope::Engine
