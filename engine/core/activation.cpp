// SPDX-License-Identifier: GPL-3.0-or-later
#include "activation.h"

namespace Feedscope::Engine {

QString statusText(ActivationStatus status)
{
    switch (status) {
    case ActivationStatus::Success: return QStringLiteral("success");
    case ActivationStatus::ApplicationError: return QStringLiteral("application error");
    case ActivationStatus::DeveloperError: return QStringLiteral("action developer error");
    case ActivationStatus::WhiskError: return QStringLiteral("whisk internal error");
    }
    return {};
}

namespace {

QJsonObject commonFields(const Activation &a)
{
    QJsonObject o{
        {QStringLiteral("namespace"), a.ns},
        {QStringLiteral("name"), a.name},
        {QStringLiteral("version"), a.version},
        {QStringLiteral("subject"), a.subject},
        {QStringLiteral("activationId"), a.activationId},
        {QStringLiteral("start"), a.start},
        {QStringLiteral("annotations"), a.annotations},
        {QStringLiteral("publish"), false},
    };
    if (a.end != 0) {
        o.insert(QStringLiteral("end"), a.end);
        o.insert(QStringLiteral("duration"), a.end - a.start);
    }
    if (!a.cause.isEmpty())
        o.insert(QStringLiteral("cause"), a.cause);
    return o;
}

} // namespace

QJsonObject Activation::toStoredJson() const
{
    QJsonObject o = commonFields(*this);
    QJsonObject response{{QStringLiteral("statusCode"), int(status)},
                         {QStringLiteral("result"), result}};
    if (size)
        response.insert(QStringLiteral("size"), *size);
    o.insert(QStringLiteral("response"), response);
    o.insert(QStringLiteral("logs"), QJsonArray::fromStringList(logs));
    if (!package.isEmpty())
        o.insert(QStringLiteral("_package"), package);
    return o;
}

Activation Activation::fromStoredJson(const QJsonObject &json)
{
    Activation a;
    a.ns = json.value(QLatin1String("namespace")).toString();
    a.name = json.value(QLatin1String("name")).toString();
    a.version = json.value(QLatin1String("version")).toString();
    a.subject = json.value(QLatin1String("subject")).toString();
    a.activationId = json.value(QLatin1String("activationId")).toString();
    a.package = json.value(QLatin1String("_package")).toString();
    a.start = json.value(QLatin1String("start")).toInteger();
    a.end = json.value(QLatin1String("end")).toInteger();
    const QJsonObject response = json.value(QLatin1String("response")).toObject();
    a.status = ActivationStatus(response.value(QLatin1String("statusCode")).toInt());
    a.result = response.value(QLatin1String("result"));
    if (response.contains(QLatin1String("size")))
        a.size = response.value(QLatin1String("size")).toInteger();
    for (const QJsonValue &line : json.value(QLatin1String("logs")).toArray())
        a.logs.append(line.toString());
    a.annotations = json.value(QLatin1String("annotations")).toArray();
    a.cause = json.value(QLatin1String("cause")).toString();
    return a;
}

QJsonObject Activation::responseJson() const
{
    QJsonObject response{{QStringLiteral("status"), statusText(status)},
                         {QStringLiteral("success"), isSuccess()},
                         {QStringLiteral("result"), result}};
    if (size)
        response.insert(QStringLiteral("size"), *size);
    return response;
}

QJsonObject Activation::toExtendedJson() const
{
    QJsonObject o = commonFields(*this);
    o.insert(QStringLiteral("response"), responseJson());
    o.insert(QStringLiteral("logs"), QJsonArray::fromStringList(logs));
    return o;
}

QJsonObject Activation::toSummaryJson() const
{
    QJsonObject o = commonFields(*this);
    o.remove(QStringLiteral("subject"));
    // Only finished activations carry a status code in the summary; trigger activations
    // (end == 0) show none, like the controller's activation view.
    if (end != 0)
        o.insert(QStringLiteral("statusCode"), int(status));
    return o;
}

} // namespace Feedscope::Engine
