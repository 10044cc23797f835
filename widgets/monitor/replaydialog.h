// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entityname.h"
#include "whiskclient.h"

#include <QDialog>

class QLabel;
class QPushButton;

namespace Feedscope::Ui {

class JsonField;

// Replay: fires a past trigger activation's payload at its trigger again, as recorded or as the
// user edits it. Non-modal; the answer (the new trigger activation, 204 no active rule, 429, an
// error) is shown in the dialog, and the new event reaches the monitor like any other fire.
class ReplayDialog : public QDialog
{
    Q_OBJECT

public:
    ReplayDialog(WhiskClientPtr client,
                 const QualifiedName &trigger,
                 const QJsonObject &payload,
                 QWidget *parent = nullptr);

    JsonField *payloadField() const { return m_payload; }
    QPushButton *fireButton() const { return m_fire; }
    QLabel *answer() const { return m_answer; }

Q_SIGNALS:
    // 202: the trigger activation this replay made.
    void replayed(const QString &triggerActivationId);

private:
    void fire();

    WhiskClientPtr m_client;
    QualifiedName m_trigger;
    JsonField *m_payload;
    QPushButton *m_fire;
    QLabel *m_answer;
};

} // namespace Feedscope::Ui
