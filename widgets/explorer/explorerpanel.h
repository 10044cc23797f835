// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/entityref.h"

#include "session.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QAction;
class QLineEdit;
class QMenu;
class QTreeView;
class QToolButton;

namespace Feedscope {
class EntityFilterModel;
struct OperationReport;
} // namespace Feedscope

namespace Feedscope::Ui {

class MessageBar;
class OperationView;
class ReportView;

// The namespace explorer (DESIGN.md): the session's EntityTreeModel behind a filter box, with
// badges for feed-backed, paused, disabled, orphaned triggers and inactive rules, and counters of
// what fired and ran. Its commands are QActions owned here, enabled by the selection and shared
// by the context menu, the main window's menus and toolbar (STYLE.md 24). Deleting a feed
// trigger goes through FeedLifecycle (the feed's DELETE first, never a bare DELETE) and shows
// the step report in place. A trigger deleted while its feed's DELETE is still owed stays
// listed, badged "DELETE pending", until a retry delivers it. The lifecycle console, the feed
// check, the orphan scan and the tombstones are asked for through signals.
class ExplorerPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ExplorerPanel(QWidget *parent = nullptr);
    ~ExplorerPanel() override;

    void setSession(Session *session);
    Session *session() const { return m_session; }

    QTreeView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    ReportView *reportView() const { return m_report; }

    QAction *openAction() const { return m_open; }
    QAction *fireAction() const { return m_fire; }
    QAction *webhookConsoleAction() const { return m_webhookConsole; }
    QAction *enableRuleAction() const { return m_enableRule; }
    QAction *disableRuleAction() const { return m_disableRule; }
    QAction *deleteAction() const { return m_delete; }
    QAction *copyWskAction() const { return m_copyWsk; }
    QAction *refreshAction() const { return m_refresh; }
    QAction *scanOrphansAction() const { return m_scanOrphans; }
    QAction *lifecycleConsoleAction() const { return m_lifecycleConsole; }
    QAction *checkFeedAction() const { return m_checkFeed; }
    QAction *focusFilterAction() const { return m_focusFilter; }
    // New package / binding / action / trigger / rule.
    QList<QAction *> newActions() const { return m_newActions; }

    std::optional<EntityRef> selectedEntity() const;
    // Selects (and shows) an entity; false when the tree does not hold it (yet).
    bool selectEntity(const EntityRef &entity);
    // Asks for confirmation, then deletes (used by the delete action and by editors).
    void deleteEntity(const EntityRef &entity);
    // Copies the entity's `wsk` command to the clipboard (fetches it first).
    void copyWskCommand(const EntityRef &entity);

Q_SIGNALS:
    void openRequested(const Feedscope::Ui::EntityRef &entity);
    void fireRequested(const QString &trigger);
    void webhookConsoleRequested(const QString &trigger);
    void newRequested(Feedscope::ExplorerEntry::Kind kind);
    void entityDeleted(const Feedscope::Ui::EntityRef &entity);
    void statusMessage(const QString &text);
    // The feed lifecycle tools (widgets/lifecycle, widgets/health) are asked to act.
    void lifecycleConsoleRequested(const QString &trigger);
    void checkFeedRequested(const QString &feed);
    void orphanScanRequested();
    void tombstonesRequested();

private:
    void createActions();
    void updateActions();
    void showContextMenu(const QPoint &position);
    void expandTop();
    void setRuleActive(bool active);
    void showOperation(const QString &title, class Operation *operation);
    bool isDeletedTrigger(const QModelIndex &index) const;
    QString selectedFeed() const;
    void deleteConfirmed(const EntityRef &entity);

    QPointer<Session> m_session;
    EntityFilterModel *m_filterModel;
    QLineEdit *m_filter;
    QTreeView *m_view;
    MessageBar *m_placeholder;
    OperationView *m_reportBox;
    ReportView *m_report;
    QTimer m_activityTick;
    QTimer m_filterDelay;

    QAction *m_open = nullptr;
    QAction *m_fire = nullptr;
    QAction *m_webhookConsole = nullptr;
    QAction *m_enableRule = nullptr;
    QAction *m_disableRule = nullptr;
    QAction *m_delete = nullptr;
    QAction *m_copyWsk = nullptr;
    QAction *m_refresh = nullptr;
    QAction *m_scanOrphans = nullptr;
    QAction *m_lifecycleConsole = nullptr;
    QAction *m_checkFeed = nullptr;
    QAction *m_showTombstones = nullptr;
    QAction *m_focusFilter = nullptr;
    QList<QAction *> m_newActions;
};

} // namespace Feedscope::Ui
