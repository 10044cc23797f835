// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"
#include "entityeditor.h"

#include <QTimer>

#include <functional>

class QAction;
class QComboBox;
class QLabel;
class QPushButton;

namespace Feedscope {
struct OperationReport;
class Operation;
} // namespace Feedscope

namespace Feedscope::Ui {

class FeedForm;
class JsonField;
class MessageBar;
class OperationView;
class ReportView;

// A trigger: its own parameters and, for a feed trigger, its feed's parameters in a separate
// form generated from the feed action's `parameters` annotation. Saving a feed trigger runs the
// feed lifecycle — CREATE for a new one, UPDATE (or DELETE + CREATE with its warning) for an
// existing one — and shows the step report. The feed's status comes from its READ. A fire box
// sends a payload and says what happened (202 with the activation, or 204: no active rule).
class TriggerEditor : public EntityEditor
{
    Q_OBJECT

public:
    TriggerEditor(Session *session, const EntityRef &entity, QWidget *parent = nullptr);

    QComboBox *feedCombo() const { return m_feed; }
    FeedForm *feedForm() const { return m_feedForm; }
    JsonField *parametersField() const { return m_parameters; }
    JsonField *annotationsField() const { return m_annotations; }
    JsonField *payloadField() const { return m_payload; }
    QPushButton *fireButton() const { return m_fireButton; }
    MessageBar *fireResult() const { return m_fireResult; }
    MessageBar *feedStatus() const { return m_feedStatus; }
    // Opens the lifecycle console on this feed trigger (enabled once it exists with a feed).
    QAction *lifecycleConsoleAction() const { return m_console; }
    ReportView *reportView() const { return m_report; }
    OperationView *operationView() const { return m_operation; }

    void fire();
    // Puts the keyboard focus on the payload (the explorer's "Fire…").
    void focusPayload();

Q_SIGNALS:
    void lifecycleConsoleRequested(const QString &trigger);

protected:
    void fetch() override;
    void send(const QualifiedName &name) override;
    QString validationError() const override;
    MessageBar *fieldMessage(const WhiskError &error) const override;

private:
    void loadFeedSpec(const QString &feed, bool existing, const QJsonObject &values = {});
    void runOperation(const QString &title, Operation *operation, const QString &success);
    // PUTs the trigger's own parameters and annotations; then `then`, or the success message.
    void putTrigger(const QualifiedName &name, bool overwrite, std::function<void()> then = {});
    QString feedText() const;

    Trigger m_trigger;
    QJsonObject m_loadedConfig;
    QComboBox *m_feed;
    MessageBar *m_feedMessage;
    MessageBar *m_feedStatus;
    FeedForm *m_feedForm;
    JsonField *m_parameters;
    JsonField *m_annotations;
    JsonField *m_payload;
    QPushButton *m_fireButton;
    QAction *m_console;
    MessageBar *m_fireResult;
    OperationView *m_operation;
    ReportView *m_report;
    QTimer m_specDelay;
};

} // namespace Feedscope::Ui
