// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "feedparameters.h"

#include <QJsonObject>
#include <QWidget>

class QFormLayout;
class QLabel;
class QLineEdit;

namespace Feedscope::Ui {

class JsonField;
class MessageBar;

// A form generated from a feed action's `parameters` annotation: one field per declared
// parameter, required ones marked, `type: password` masked, the description as help text under
// the field; parameters the feed cannot UPDATE are locked once the trigger exists. Parameters
// the feed does not declare go in a JSON field below. Values are JSON when the text is a JSON
// value (42, true, {"a": 1}), otherwise strings.
class FeedForm : public QWidget
{
    Q_OBJECT

public:
    explicit FeedForm(QWidget *parent = nullptr);

    // `existing`: the trigger exists, so non-updatable parameters are locked.
    void setParameters(const QList<FeedParameter> &parameters, bool existing);
    void setValues(const QJsonObject &values);
    QJsonObject values() const;
    // "cron is required" for the first required field left empty, or "".
    QString validationError() const;

    QLineEdit *field(const QString &parameter) const;
    JsonField *otherField() const { return m_other; }
    // What the feed's READ reports besides its declared parameters (its state: a cursor, the
    // entities it made); shown, never sent.
    JsonField *stateView() const { return m_state; }
    MessageBar *messageBar() const { return m_message; }
    QList<FeedParameter> parameters() const { return m_parameters; }

Q_SIGNALS:
    void edited();

private:
    QList<FeedParameter> m_parameters;
    QList<QLineEdit *> m_fields;
    QWidget *m_rows;
    QFormLayout *m_form;
    JsonField *m_other;
    QLabel *m_stateTitle;
    JsonField *m_state;
    MessageBar *m_message;
    QLabel *m_empty;
};

} // namespace Feedscope::Ui
