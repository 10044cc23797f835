// SPDX-License-Identifier: GPL-3.0-or-later
#include "feedparameters.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Feedscope {

QList<FeedParameter> feedParameters(const Action &feedAction)
{
    QList<FeedParameter> list;
    const QJsonObject samples
        = feedAction.annotations.value(QStringLiteral("sampleInput")).toObject();
    for (const QJsonValue &v :
         feedAction.annotations.value(QStringLiteral("parameters")).toArray()) {
        const QJsonObject o = v.toObject();
        FeedParameter p;
        p.name = o.value(QLatin1String("name")).toString();
        if (p.name.isEmpty())
            continue;
        p.required = o.value(QLatin1String("required")).toBool(false);
        p.updatable = o.value(QLatin1String("updatable")).toBool(true);
        p.password = o.value(QLatin1String("type")).toString() == u"password";
        p.description = o.value(QLatin1String("description")).toString();
        p.sample = samples.value(p.name);
        list.append(p);
    }
    return list;
}

QJsonValue valueFromText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return text;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson("[" + trimmed.toUtf8() + "]", &error);
    if (error.error == QJsonParseError::NoError && document.array().size() == 1)
        return document.array().first();
    return text;
}

QString textFromValue(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isUndefined() || value.isNull())
        return {};
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1);
}

QJsonObject feedParamsOfConfig(QJsonObject config)
{
    for (const char *key : {"name",
                            "namespace",
                            "triggerName",
                            "status",
                            "trigger",
                            "apihost",
                            "dateChanged",
                            "dateChangedISO",
                            "authKey"})
        config.remove(QLatin1String(key));
    return config;
}

} // namespace Feedscope
