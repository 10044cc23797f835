// SPDX-License-Identifier: GPL-3.0-or-later
#include "runreply.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Feedscope::Engine {

namespace {

QJsonObject errorResult(const QString &message)
{
    return QJsonObject{{QStringLiteral("error"), message}};
}

QByteArray compact(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    return QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
}

} // namespace

Container::Reply parseRunnerReply(const QByteArray &line)
{
    Container::Reply reply;
    reply.raw = line;
    const QJsonObject message = QJsonDocument::fromJson(line).object();
    if (message.contains(QLatin1String("status"))) {
        reply.status = message.value(QLatin1String("status")).toInt();
        reply.body = message.value(QLatin1String("body"));
    }
    return reply;
}

void applyRunReply(InvocationOutcome &outcome,
                   int replyStatus,
                   const QJsonValue &body,
                   const QByteArray &raw,
                   qint64 maxResultBytes)
{
    if (replyStatus == 0) {
        outcome.status = ActivationStatus::DeveloperError;
        outcome.result = errorResult(
            QStringLiteral("The action did not produce a valid response and exited unexpectedly."));
        return;
    }
    const QString invalid
        = QStringLiteral("The action did not produce a valid JSON or JSON Array response: ");
    if (replyStatus != 200) {
        outcome.status = ActivationStatus::DeveloperError;
        const QJsonValue error = body.toObject().value(QLatin1String("error"));
        outcome.result = QJsonObject{{QStringLiteral("error"),
                                      body.isObject() && !error.isUndefined()
                                          ? error
                                          : QJsonValue(invalid + QString::fromUtf8(raw))}};
        return;
    }
    if (!body.isObject() && !body.isArray()) {
        outcome.status = ActivationStatus::DeveloperError;
        outcome.result = errorResult(invalid + QString::fromUtf8(compact(body)));
        return;
    }
    const QByteArray text = compact(body);
    outcome.size = text.size();
    if (text.size() > maxResultBytes) {
        outcome.status = ActivationStatus::ApplicationError;
        outcome.result = errorResult(
            QStringLiteral("The action produced a response that exceeded the allowed length: "
                           "%1 > %2 bytes. The truncated response was: %3")
                .arg(text.size())
                .arg(maxResultBytes)
                .arg(QString::fromUtf8(text.left(1024))));
        return;
    }
    if (body.isObject() && body.toObject().contains(QLatin1String("error"))) {
        outcome.status = ActivationStatus::ApplicationError;
        outcome.result
            = QJsonObject{{QStringLiteral("error"), body.toObject().value(QLatin1String("error"))}};
        return;
    }
    outcome.status = ActivationStatus::Success;
    outcome.result = body;
}

void applyInitFailure(InvocationOutcome &outcome, int replyStatus, const QJsonValue &body)
{
    outcome.status = ActivationStatus::DeveloperError;
    const QJsonValue error = body.toObject().value(QLatin1String("error"));
    if (replyStatus != 0 && error.isString()) {
        outcome.result = QJsonObject{{QStringLiteral("error"), error}};
        return;
    }
    outcome.result = errorResult(
        replyStatus == 0
            ? QStringLiteral("The action failed during initialization: the runtime exited "
                             "unexpectedly.")
            : QStringLiteral("The action failed during initialization: %1")
                  .arg(QString::fromUtf8(compact(body))));
}

} // namespace Feedscope::Engine
