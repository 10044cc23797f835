// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace Feedscope {

// One parameter a feed action declares in its `parameters` annotation (the catalog convention
// of the upstream packages: [{name, required, updatable, type, description}]), with the value
// of its `sampleInput` annotation as an example.
struct FeedParameter
{
    QString name;
    bool required = false;
    bool updatable = true;
    bool password = false; // type: "password" — shown masked
    QString description;
    QJsonValue sample; // from sampleInput, when given
};

// The declared parameters of a feed action, in declaration order; empty when it declares none.
QList<FeedParameter> feedParameters(const Action &feedAction);

// The parameters a feed's READ config stands for (PROTOCOL.md 3.6): the config without what
// the READ answers besides them (name, namespace, status, ...). For forms and re-creating.
QJsonObject feedParamsOfConfig(QJsonObject config);

// A value as typed into a form field: JSON when the text is a JSON value (a number, true,
// {"a": 1}), otherwise the text as a string.
QJsonValue valueFromText(const QString &text);
// The inverse, for filling a form: strings as they are, anything else as compact JSON.
QString textFromValue(const QJsonValue &value);

} // namespace Feedscope
