// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

namespace Feedscope::Engine {

// Activation status codes (PROTOCOL.md 2.1, ActivationResult.scala).
enum class ActivationStatus {
    Success = 0,
    ApplicationError = 1,
    DeveloperError = 2,
    WhiskError = 3,
};

QString statusText(ActivationStatus status);

// One activation record. It is stored in the controller's raw form (with response.statusCode)
// and rendered either as the extended JSON of GET / blocking invoke or as a list summary.
struct Activation
{
    QString ns; // where it is stored: always the caller's namespace
    QString name;
    QString version = QStringLiteral("0.0.1");
    QString subject;
    QString activationId;
    QString package; // the package part of the `path` annotation, for the list `name` filter
    qint64 start = 0;
    qint64 end = 0; // 0: not recorded (trigger activations)
    ActivationStatus status = ActivationStatus::Success;
    QJsonValue result = QJsonObject();
    std::optional<qint64> size;
    QStringList logs;
    QJsonArray annotations;
    QString cause;

    QJsonObject toStoredJson() const;
    static Activation fromStoredJson(const QJsonObject &json);
    QJsonObject toExtendedJson() const;
    QJsonObject toSummaryJson() const;
    // GET .../activations/{id}/result: {result, success, status[, size]}.
    QJsonObject responseJson() const;

    bool isSuccess() const { return status == ActivationStatus::Success; }
};

} // namespace Feedscope::Engine
