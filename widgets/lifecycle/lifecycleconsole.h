// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"
#include "entityname.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

#include <optional>

class QAction;
class QComboBox;

namespace Feedscope {
class Operation;
class Session;
struct OperationReport;
} // namespace Feedscope

namespace Feedscope::Ui {

class FeedCallView;
class JsonField;
class MessageBar;
class OperationView;

// The lifecycle console (DESIGN.md): sends any lifecycle event to a feed trigger's feed and
// shows the exact request and the feed's activation. CREATE, UPDATE and DELETE go to the feed
// as they are (the trigger stays as it is); READ, PAUSE and UNPAUSE go through FeedLifecycle,
// so READ comes merged with the trigger (config, status, the provider's reason) and PAUSE falls
// back to a soft pause, labelled as such, where the feed has none. After every other event a
// READ refreshes the status, so it shows the provider's state, not the one before. The
// parameters are prefilled from the feed's READ config, or from the feed action's declared
// parameters, and never replaced once the user typed.
class LifecycleConsole : public QWidget
{
    Q_OBJECT

public:
    explicit LifecycleConsole(QWidget *parent = nullptr);
    ~LifecycleConsole() override;

    void setSession(Session *session);
    // Loads trigger "t" of the session's namespace: its feed, a READ, the parameters.
    void openTrigger(const QString &trigger);
    QString trigger() const { return m_trigger.name; }
    bool isBusy() const { return m_busy; }

    // "CREATE", "READ", "UPDATE", "DELETE", "PAUSE", "UNPAUSE".
    static QStringList events();
    QAction *eventAction(const QString &event) const { return m_eventActions.value(event); }
    QAction *checkFeedAction() const { return m_checkFeed; }
    QComboBox *triggerCombo() const { return m_triggerCombo; }
    JsonField *parametersField() const { return m_parameters; }
    MessageBar *feedStatus() const { return m_status; }
    MessageBar *pauseMode() const { return m_pauseMode; }
    JsonField *mergedField() const { return m_merged; }
    FeedCallView *callView() const { return m_call; }
    OperationView *operationView() const { return m_operation; }

Q_SIGNALS:
    void checkFeedRequested(const QString &feed);
    void statusMessage(const QString &text);

private:
    void createActions();
    void refreshTriggerList();
    void send(const QString &event);
    void sendRaw(const QString &event, const QJsonObject &params);
    void runOperation(const QString &event, Operation *operation);
    void readQuietly();
    void loaded(const OperationReport &report);
    void showRead(const OperationReport &report);
    void showFeedCall(const OperationReport &report);
    void showPauseMode(const QString &event, const OperationReport &report);
    void prefill(const QJsonObject &params);
    void prefillFromFeedAction();
    void setBusy(bool busy);
    void updateActions();

    QPointer<Session> m_session;
    Trigger m_trigger; // as the last READ (or load) saw it
    std::optional<QualifiedName> m_feed;
    bool m_paramsEdited = false;
    bool m_busy = false;
    int m_generation = 0; // answers for an earlier trigger or session are dropped

    QComboBox *m_triggerCombo;
    MessageBar *m_status;
    MessageBar *m_pauseMode;
    JsonField *m_parameters;
    JsonField *m_merged;
    FeedCallView *m_call;
    OperationView *m_operation;
    QHash<QString, QAction *> m_eventActions;
    QAction *m_reload = nullptr;
    QAction *m_checkFeed = nullptr;
};

} // namespace Feedscope::Ui
