// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "blueprints.h"
#include "patterndiagram.h"
#include "result.h"

#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QWizardPage>

class QComboBox;
class QFormLayout;
class QLineEdit;
class QRadioButton;

namespace Feedscope {
class Session;
class WebhookRelay;
} // namespace Feedscope

namespace Feedscope::Ui {

class FeedForm;
class JsonField;
class MessageBar;
class SchedulePreview;

// The Feed Designer's inputs: the blueprint's name, source URL, credentials, target action (or
// a generated handler) and, for polling, the schedule with its next fire times; for a trigger
// on a feed action, the feed and a form generated from its `parameters` annotation. Every field
// is checked as it is typed, its problem shown under it; Next stays disabled until all are
// fine, so the review page only ever shows a plan that can be deployed.
class DesignerInputsPage : public QWizardPage
{
    Q_OBJECT

public:
    DesignerInputsPage(DesignKind kind,
                       Session *session,
                       const QString &defaultSourceUrl,
                       QWidget *parent = nullptr);

    // Hook designs: offers "through the webhook relay" besides "directly to the trigger URL".
    void setWebhookRelay(WebhookRelay *relay);

    bool isComplete() const override;
    // What the inputs describe; an error while a field is invalid.
    Result<Blueprint> blueprint() const;

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *sourceEdit() const { return m_source; }
    QLineEdit *scheduleEdit() const { return m_schedule; }
    QComboBox *targetCombo() const { return m_target; }
    QComboBox *feedCombo() const { return m_feed; }
    QRadioButton *directButton() const { return m_direct; }
    QRadioButton *relayButton() const { return m_viaRelay; }
    FeedForm *feedForm() const { return m_feedForm; }
    JsonField *credentialsField() const { return m_credentials; }
    SchedulePreview *schedulePreview() const { return m_preview; }
    // The problem shown under each field ("" when none), by field: "name", "source", "target",
    // "schedule", "feed".
    QString problem(const QString &field) const;

Q_SIGNALS:
    void namesChanged(const QString &source, const QString &trigger, const QString &action);

private:
    void addField(QFormLayout *form, const QString &label, QWidget *field, const QString &key);
    void validate();
    void loadFeedAction();
    QString targetAction() const;
    QString alarmType() const; // "alarm" / "interval" / "once" for the catalog's alarms feeds
    QSet<QString> existingNames() const;

    DesignKind m_kind;
    QPointer<Session> m_session;
    QLineEdit *m_name;
    QLineEdit *m_source = nullptr;
    QLineEdit *m_schedule = nullptr;
    QComboBox *m_target;
    QComboBox *m_feed = nullptr;
    FeedForm *m_feedForm = nullptr;
    JsonField *m_credentials = nullptr;
    SchedulePreview *m_preview = nullptr;
    QWidget *m_delivery = nullptr;
    QRadioButton *m_direct = nullptr;
    QRadioButton *m_viaRelay = nullptr;
    QPointer<WebhookRelay> m_relay;
    QHash<QString, MessageBar *> m_messages;
    QString m_loadedFeed;
    QString m_feedError;   // the feed action cannot be read: blocks Next
    QString m_feedWarning; // it can, but has no `feed` annotation: shown, does not block
    QTimer m_feedDelay;
    bool m_complete = false;
};

} // namespace Feedscope::Ui
