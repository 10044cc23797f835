// SPDX-License-Identifier: GPL-3.0-or-later
#include "keyvalues.h"

#include <QStringList>

namespace Feedscope::Engine::KeyValues {

namespace {
const QString keyField = QStringLiteral("key");
const QString valueField = QStringLiteral("value");
} // namespace

QJsonValue value(const QJsonArray &pairs, QStringView key)
{
    for (const QJsonValue &pair : pairs) {
        const QJsonObject o = pair.toObject();
        if (o.value(keyField).toString() == key)
            return o.value(valueField);
    }
    return QJsonValue(QJsonValue::Undefined);
}

bool isTrue(const QJsonArray &pairs, QStringView key)
{
    return value(pairs, key).toBool(false);
}

QJsonArray with(const QJsonArray &pairs, const QString &key, const QJsonValue &v)
{
    QJsonArray result = pairs;
    for (qsizetype i = 0; i < result.size(); ++i) {
        if (result.at(i).toObject().value(keyField).toString() == key) {
            result.replace(i, QJsonObject{{keyField, key}, {valueField, v}});
            return result;
        }
    }
    result.append(QJsonObject{{keyField, key}, {valueField, v}});
    return result;
}

QJsonArray merged(const QJsonArray &base, const QJsonArray &overrides)
{
    QJsonArray result = base;
    for (const QJsonValue &pair : overrides) {
        const QJsonObject o = pair.toObject();
        result = with(result, o.value(keyField).toString(), o.value(valueField));
    }
    return result;
}

QJsonArray without(const QJsonArray &pairs, const QStringList &keys)
{
    QJsonArray result;
    for (const QJsonValue &pair : pairs) {
        if (!keys.contains(pair.toObject().value(keyField).toString()))
            result.append(pair);
    }
    return result;
}

QJsonObject toObject(const QJsonArray &pairs)
{
    QJsonObject result;
    for (const QJsonValue &pair : pairs) {
        const QJsonObject o = pair.toObject();
        result.insert(o.value(keyField).toString(), o.value(valueField));
    }
    return result;
}

bool isWellFormed(const QJsonValue &v)
{
    if (!v.isArray())
        return false;
    for (const QJsonValue &pair : v.toArray()) {
        if (!pair.isObject() || !pair.toObject().value(keyField).isString())
            return false;
    }
    return true;
}

} // namespace Feedscope::Engine::KeyValues
