// SPDX-License-Identifier: GPL-3.0-or-later
#include "designerinputspage.h"

#include "common/accessible.h"
#include "common/feedchoices.h"
#include "common/jsonfield.h"
#include "common/messagebar.h"
#include "editors/feedform.h"
#include "entityname.h"
#include "feedparameters.h"
#include "namespaceloader.h"
#include "schedulepreview.h"
#include "session.h"
#include "webhookrelay.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QRadioButton>
#include <QScrollArea>
#include <QUrl>
#include <QVBoxLayout>

namespace Feedscope::Ui {

namespace {

const QString generateHandler = QObject::tr("Generate a handler action (logs every event)");

FeedPattern patternOf(DesignKind kind)
{
    switch (kind) {
    case DesignKind::Polling: return FeedPattern::Polling;
    case DesignKind::Connection: return FeedPattern::Connection;
    case DesignKind::Hook:
    case DesignKind::FeedAction: break;
    }
    return FeedPattern::Hook;
}

// Names are unique per collection; bindings share the packages' collection.
QString collectionOf(ExplorerEntry::Kind kind)
{
    switch (kind) {
    case ExplorerEntry::Kind::Package:
    case ExplorerEntry::Kind::Binding: return QStringLiteral("packages");
    case ExplorerEntry::Kind::Action: return QStringLiteral("actions");
    case ExplorerEntry::Kind::Trigger: return QStringLiteral("triggers");
    case ExplorerEntry::Kind::Rule: return QStringLiteral("rules");
    }
    return {};
}

static_assert(int(ExplorerEntry::Kind::Rule) == int(PlannedEntity::Kind::Rule)
              && int(ExplorerEntry::Kind::Binding) == int(PlannedEntity::Kind::Binding));

} // namespace

DesignerInputsPage::DesignerInputsPage(DesignKind kind,
                                       Session *session,
                                       const QString &defaultSourceUrl,
                                       QWidget *parent)
    : QWizardPage(parent)
    , m_kind(kind)
    , m_session(session)
    , m_name(new QLineEdit(this))
    , m_target(new QComboBox(this))
{
    setObjectName(QStringLiteral("designerInputsPage"));
    setTitle(tr("Describe the %1").arg(designTitle(kind).toLower()));
    setSubTitle(tr("Every entity is named after the trigger. Problems show under each field as "
                   "you type."));
    // The form scrolls rather than squeezing its fields when a feed declares many parameters,
    // and keeps its rows together (a stretch below) when it has few.
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("designerInputsScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(scroll);
    auto *contentLayout = new QVBoxLayout(content);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    contentLayout->addLayout(form);
    contentLayout->addStretch(1);
    scroll->setWidget(content);
    layout->addWidget(scroll);

    nameControl(m_name, QStringLiteral("designerName"), tr("Trigger name"));
    m_name->setPlaceholderText(tr("orders — also names the package, rule and handler"));
    addField(form, tr("&Trigger name:"), m_name, QStringLiteral("name"));

    if (kind == DesignKind::FeedAction) {
        m_feed = new QComboBox(this);
        nameControl(m_feed, QStringLiteral("designerFeed"), tr("Feed action"));
        m_feed->setEditable(true);
        m_feed->addItems(knownFeedActions(session));
        m_feed->setCurrentIndex(0);
        addField(form, tr("&Feed action:"), m_feed, QStringLiteral("feed"));
        m_feedForm = new FeedForm(this);
        m_feedForm->setObjectName(QStringLiteral("designerFeedForm"));
        form->addRow(tr("Feed parameters:"), m_feedForm);
        m_feedDelay.setSingleShot(true);
        m_feedDelay.setInterval(300);
        connect(&m_feedDelay, &QTimer::timeout, this, &DesignerInputsPage::loadFeedAction);
        connect(m_feed, &QComboBox::currentTextChanged, this, [this] {
            m_feedDelay.start();
            validate();
        });
        connect(m_feedForm, &FeedForm::edited, this, &DesignerInputsPage::validate);
    } else {
        m_source = new QLineEdit(this);
        nameControl(m_source,
                    QStringLiteral("designerSource"),
                    kind == DesignKind::Connection ? tr("Event stream URL") : tr("Service URL"));
        m_source->setText(kind == DesignKind::Connection && !defaultSourceUrl.isEmpty()
                              ? defaultSourceUrl + QStringLiteral("/stream")
                              : defaultSourceUrl);
        m_source->setPlaceholderText(kind == DesignKind::Connection
                                         ? tr("https://service.example/stream (server-sent events)")
                                         : tr("https://service.example — the service's base URL"));
        addField(form,
                 kind == DesignKind::Connection ? tr("&Stream URL:") : tr("&Service URL:"),
                 m_source,
                 QStringLiteral("source"));
        connect(m_source, &QLineEdit::textChanged, this, &DesignerInputsPage::validate);
    }

    if (kind == DesignKind::Hook) {
        // Where the service delivers: the trigger's URL (it must hold the key), or Feedscope's
        // webhook relay, which captures every delivery and fires with the profile's key.
        m_delivery = new QWidget(this);
        auto *choice = new QVBoxLayout(m_delivery);
        choice->setContentsMargins(0, 0, 0, 0);
        m_direct = new QRadioButton(
            tr("Directly to the trigger's URL (the service stores the key)"), m_delivery);
        nameControl(m_direct, QStringLiteral("designerDirect"), tr("Deliver to the trigger URL"));
        m_viaRelay = new QRadioButton(m_delivery);
        nameControl(m_viaRelay,
                    QStringLiteral("designerViaRelay"),
                    tr("Deliver through the webhook relay"));
        m_direct->setChecked(true);
        choice->addWidget(m_direct);
        choice->addWidget(m_viaRelay);
        form->addRow(tr("Deliver:"), m_delivery);
        m_delivery->hide();
        connect(m_viaRelay, &QRadioButton::toggled, this, &DesignerInputsPage::validate);
    }

    if (kind == DesignKind::Polling) {
        m_schedule = new QLineEdit(QStringLiteral("*/30 * * * * *"), this);
        nameControl(m_schedule, QStringLiteral("designerSchedule"), tr("Polling schedule (cron)"));
        m_schedule->setPlaceholderText(tr("cron: */30 * * * * * (with seconds) or */5 * * * *"));
        addField(form, tr("Poll &schedule:"), m_schedule, QStringLiteral("schedule"));
        connect(m_schedule, &QLineEdit::textChanged, this, &DesignerInputsPage::validate);
    }
    if (kind == DesignKind::Polling || kind == DesignKind::FeedAction) {
        m_preview = new SchedulePreview(this);
        form->addRow(QString(), m_preview);
    }

    nameControl(m_target, QStringLiteral("designerTarget"), tr("Action the rule runs"));
    m_target->setEditable(true);
    m_target->addItem(generateHandler);
    if (session) {
        for (const ExplorerEntry &e : session->tree()->entries(EntityTreeModel::Group::Actions)) {
            if (!e.feedAction && !e.placeholder)
                m_target->addItem(e.name);
        }
    }
    addField(form, tr("&Run action:"), m_target, QStringLiteral("target"));
    connect(m_target, &QComboBox::currentTextChanged, this, &DesignerInputsPage::validate);

    if (kind != DesignKind::FeedAction) {
        m_credentials = new JsonField(this);
        m_credentials->setFieldName(QStringLiteral("designerCredentials"),
                                    tr("Credentials for the source (JSON headers)"));
        m_credentials->setPlaceholderText(
            tr("optional: {\"Authorization\": \"Bearer ...\"} — request headers for the source"));
        m_credentials->setMaximumHeight(90);
        form->addRow(tr("&Credentials:"), m_credentials);
        connect(m_credentials, &JsonField::edited, this, &DesignerInputsPage::validate);
    }

    connect(m_name, &QLineEdit::textChanged, this, &DesignerInputsPage::validate);
    // Names taken meanwhile (by another window, another client) show as soon as they are known.
    if (session)
        connect(
            session->loader(), &NamespaceLoader::refreshed, this, &DesignerInputsPage::validate);
    if (m_feed)
        loadFeedAction();
    validate();
}

void DesignerInputsPage::addField(QFormLayout *form,
                                  const QString &label,
                                  QWidget *field,
                                  const QString &key)
{
    auto *message = new MessageBar(this);
    nameControl(message,
                QStringLiteral("designerMessage_") + key,
                tr("Problem with %1").arg(field->accessibleName()));
    auto *box = new QWidget(this);
    auto *v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    v->addWidget(field);
    v->addWidget(message);
    form->addRow(label, box);
    if (auto *l = qobject_cast<QLabel *>(form->labelForField(box)))
        l->setBuddy(field);
    m_messages.insert(key, message);
}

void DesignerInputsPage::setWebhookRelay(WebhookRelay *relay)
{
    m_relay = relay;
    if (!m_delivery)
        return;
    const bool listening = relay && relay->isListening();
    m_delivery->setVisible(relay != nullptr);
    m_viaRelay->setEnabled(listening);
    m_viaRelay->setText(listening ? tr("Through the webhook relay at %1 (each delivery captured, "
                                       "see the webhook console)")
                                        .arg(relay->baseUrl().toString())
                                  : tr("Through the webhook relay (not listening: %1)")
                                        .arg(relay ? relay->errorString() : QString()));
    validate();
}

QString DesignerInputsPage::problem(const QString &field) const
{
    const MessageBar *bar = m_messages.value(field);
    return bar ? bar->text() : QString();
}

QString DesignerInputsPage::targetAction() const
{
    const QString text = m_target->currentText().trimmed();
    return text == generateHandler ? QString() : text;
}

QString DesignerInputsPage::alarmType() const
{
    if (!m_feed)
        return {};
    const QString feed = m_feed->currentText().trimmed();
    for (const char *type : {"alarm", "interval", "once"}) {
        if (feed == QStringLiteral("/whisk.system/alarms/") + QLatin1String(type))
            return QLatin1String(type);
    }
    return {};
}

QSet<QString> DesignerInputsPage::existingNames() const
{
    QSet<QString> names;
    if (!m_session)
        return names;
    for (auto group : {EntityTreeModel::Group::Packages,
                       EntityTreeModel::Group::Actions,
                       EntityTreeModel::Group::Triggers,
                       EntityTreeModel::Group::Rules}) {
        for (const ExplorerEntry &e : m_session->tree()->entries(group)) {
            if (!e.placeholder)
                names.insert(collectionOf(e.kind) + u':' + e.name);
        }
    }
    return names;
}

void DesignerInputsPage::loadFeedAction()
{
    const QString feed = m_feed->currentText().trimmed();
    if (feed == m_loadedFeed || !m_session)
        return;
    m_loadedFeed = feed;
    m_feedError.clear();
    m_feedWarning.clear();
    const auto name = m_session->client()->qualify(feed);
    if (!name) {
        m_feedError = tr("'%1' is not a valid action name.").arg(feed);
        m_feedForm->setParameters({}, false);
        validate();
        return;
    }
    m_session->client()->getAction(*name, false, this, [this, feed](Result<Action> r) {
        if (m_feed->currentText().trimmed() != feed)
            return; // typed on meanwhile
        if (!r) {
            m_feedError = r.error().message;
            m_feedForm->setParameters({}, false);
        } else {
            m_feedWarning = r->isFeed() ? QString()
                                        : tr("%1 has no `feed` annotation: it may not "
                                             "implement the feed lifecycle.")
                                              .arg(feed);
            const QList<FeedParameter> parameters = feedParameters(*r);
            m_feedForm->setParameters(parameters, false);
            // Start from the feed's own example, so the form shows what a value looks like.
            QJsonObject sample;
            for (const FeedParameter &p : parameters) {
                if (!p.sample.isUndefined() && !p.sample.isNull())
                    sample.insert(p.name, p.sample);
            }
            m_feedForm->setValues(sample);
        }
        validate();
    });
}

void DesignerInputsPage::validate()
{
    auto show = [this](const QString &key, const QString &error) {
        MessageBar *bar = m_messages.value(key);
        if (!bar)
            return;
        if (error.isEmpty())
            bar->clearMessage();
        else
            bar->showError(error);
    };
    const QString base = m_name->text().trimmed();
    QString nameError;
    if (base.isEmpty())
        nameError = tr("Name the trigger.");
    else if (!isValidEntityName(base) || !isValidEntityName(QString(base + u"-handler")))
        nameError = tr("'%1' is not a valid entity name (letters, digits, -, _, @, . and "
                       "spaces inside; at most 256 characters).")
                        .arg(base);

    QString sourceError;
    if (m_source) {
        const QUrl url(m_source->text().trimmed());
        if (m_source->text().trimmed().isEmpty())
            sourceError = tr("Give the source's URL.");
        else if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https")
                 || url.host().isEmpty())
            sourceError = tr("Not an http(s) URL.");
    }
    const QString target = targetAction();
    QString targetError;
    if (!target.isEmpty() && !QualifiedName::parse(target, QStringLiteral("_")))
        targetError = tr("'%1' is not a valid action name.").arg(target);

    QString scheduleError;
    if (m_preview) {
        if (m_schedule) {
            m_preview->setParameters({{QStringLiteral("cron"), m_schedule->text().trimmed()}},
                                     QStringLiteral("alarm"));
            scheduleError = m_preview->errorText();
        } else {
            const QString type = alarmType();
            m_preview->setVisible(!type.isEmpty());
            if (!type.isEmpty())
                m_preview->setParameters(m_feedForm->values(), type);
        }
    }
    QString feedError;
    if (m_feed) {
        feedError = m_feedError;
        if (feedError.isEmpty())
            feedError = m_feedForm->validationError();
        // isHidden, not isVisible: the page may be validated while it is not shown yet.
        if (feedError.isEmpty() && !m_preview->isHidden())
            feedError = m_preview->errorText();
    }
    const bool credentialsOk = !m_credentials || m_credentials->isValid();

    // The names the plan would create must be free: a deploy never overwrites.
    const Result<Blueprint> bp = nameError.isEmpty() && sourceError.isEmpty()
                                         && targetError.isEmpty() && scheduleError.isEmpty()
                                         && credentialsOk
                                     ? blueprint()
                                     : Result<Blueprint>(WhiskError{});
    if (nameError.isEmpty() && bp) {
        const QSet<QString> existing = existingNames();
        QStringList taken;
        for (const PlannedEntity &e : bp->entities) {
            // Both enums list Package, Binding, Action, Trigger, Rule in that order.
            const QString key = collectionOf(ExplorerEntry::Kind(int(e.kind))) + u':' + e.name;
            if (existing.contains(key))
                taken.append(QStringLiteral("%1 '%2'").arg(entityKindName(e.kind), e.name));
        }
        if (!taken.isEmpty())
            nameError = tr("%1 exists already: choose another name (a deploy never "
                           "overwrites).")
                            .arg(taken.join(QStringLiteral(", ")));
    }
    show(QStringLiteral("name"), nameError);
    show(QStringLiteral("source"), sourceError);
    show(QStringLiteral("target"), targetError);
    show(QStringLiteral("schedule"), scheduleError);
    show(QStringLiteral("feed"), feedError);
    if (feedError.isEmpty() && !m_feedWarning.isEmpty())
        m_messages.value(QStringLiteral("feed"))->showWarning(m_feedWarning);

    const bool complete = nameError.isEmpty() && sourceError.isEmpty() && targetError.isEmpty()
                          && scheduleError.isEmpty() && feedError.isEmpty() && credentialsOk && bp;
    if (complete != m_complete) {
        m_complete = complete;
        Q_EMIT completeChanged();
    }
    Q_EMIT namesChanged(m_feed ? m_feed->currentText() : m_source->text(),
                        base,
                        target.isEmpty() && !base.isEmpty() ? base + QStringLiteral("-handler")
                                                            : target);
}

bool DesignerInputsPage::isComplete() const
{
    return m_complete;
}

Result<Blueprint> DesignerInputsPage::blueprint() const
{
    const QString ns = QStringLiteral("_");
    if (m_kind == DesignKind::FeedAction)
        return Blueprint::forFeed(
            m_name->text(), m_feed->currentText(), m_feedForm->values(), targetAction(), ns);
    BlueprintInputs inputs;
    inputs.pattern = patternOf(m_kind);
    inputs.name = m_name->text().trimmed();
    inputs.sourceUrl = m_source->text().trimmed();
    inputs.targetAction = targetAction();
    if (m_schedule)
        inputs.schedule = m_schedule->text().trimmed();
    if (m_credentials)
        inputs.credentials = m_credentials->object();
    if (m_viaRelay && m_viaRelay->isChecked() && m_relay && m_relay->isListening())
        inputs.webhookUrl = m_relay->hookUrl(inputs.name).toString();
    inputs.ns = ns;
    return Blueprint::build(inputs);
}

} // namespace Feedscope::Ui
