<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About hkdesk</source>
        <translation>关于 hkdesk</translation>
    </message>
    <message>
        <source>Real-time Hong Kong stock quotes</source>
        <translation>港股实时行情</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Qt run-time</source>
        <translation>Qt 运行时</translation>
    </message>
    <message>
        <source>PySide6</source>
        <translation>PySide6</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>Home page</source>
        <translation>主页</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>Qt and PySide6 (LGPL-3.0) are linked dynamically and can be replaced with other builds of the same version. Double-click a row to open its home page.</source>
        <translation>Qt 和 PySide6（LGPL-3.0）以动态链接方式使用，可替换为同一版本的其他构建。双击某一行可打开其主页。</translation>
    </message>
    <message>
        <source>Bundled components and their licences:</source>
        <translation>随附组件及其许可证：</translation>
    </message>
</context>
<context>
    <name>ChartPanel</name>
    <message>
        <source>Intraday</source>
        <extracomment>The interval buttons&apos; labels: minutes (m), an hour (h), a day (d). The keys are setting values.</extracomment>
        <translation>分时</translation>
    </message>
    <message>
        <source>1m</source>
        <translation>1分</translation>
    </message>
    <message>
        <source>5m</source>
        <translation>5分</translation>
    </message>
    <message>
        <source>15m</source>
        <translation>15分</translation>
    </message>
    <message>
        <source>1h</source>
        <translation>1小时</translation>
    </message>
    <message>
        <source>1d</source>
        <translation>日线</translation>
    </message>
    <message>
        <source>Live ⇥</source>
        <extracomment>Daily candles of the days before today (start, O, H, L, C, V), for the 1d view.</extracomment>
        <translation>实时 ⇥</translation>
    </message>
    <message>
        <source>Follow the live edge (pan or zoom to stop following)</source>
        <translation>跟随最新行情（平移或缩放即停止跟随）</translation>
    </message>
    <message>
        <source>Prev close</source>
        <translation>昨收</translation>
    </message>
    <message>
        <source>Select a symbol to chart</source>
        <translation>请选择股票以显示图表</translation>
    </message>
    <message>
        <source>No trades yet today</source>
        <translation>今日暂无成交</translation>
    </message>
    <message>
        <source>{time}   O {open}  H {high}  L {low}  C {close}  V {volume}</source>
        <translation>{time}   开 {open}  高 {high}  低 {low}  收 {close}  量 {volume}</translation>
    </message>
</context>
<context>
    <name>DepthLadder</name>
    <message>
        <source>Lvl</source>
        <extracomment>The book&apos;s freshness while it is not live (the figures are then dimmed); None when live.</extracomment>
        <translation>档</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Spread {value}</source>
        <translation>价差 {value}</translation>
    </message>
    <message>
        <source>Mid {value}</source>
        <translation>中间价 {value}</translation>
    </message>
    <message>
        <source>Select a symbol</source>
        <translation>请选择股票</translation>
    </message>
    <message>
        <source>A</source>
        <comment>ask level, as in A1</comment>
        <translation>卖</translation>
    </message>
    <message>
        <source>B</source>
        <comment>bid level, as in B1</comment>
        <translation>买</translation>
    </message>
</context>
<context>
    <name>Freshness</name>
    <message>
        <source>beyond the plan&apos;s streaming capacity</source>
        <translation>超出套餐的推送上限</translation>
    </message>
    <message>
        <source>refused by the server</source>
        <extracomment>Book levels streamed for an open depth ladder (the rows get one: their bid and ask). How often the quotes learn which streams flow (well inside a liveness interval). Our wall clock (epoch ms) when the feed entered its current state. Why the database is not in use, in words (empty when it is). Fills the day from the provider; says when a symbol&apos;s stored day changed.</extracomment>
        <translation>被服务器拒绝</translation>
    </message>
    <message>
        <source>not subscribed</source>
        <translation>未订阅</translation>
    </message>
    <message>
        <source>the latest trade, fetched once</source>
        <translation>最新成交，仅获取一次</translation>
    </message>
    <message>
        <source>s</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>min</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>h</source>
        <translation>小时</translation>
    </message>
    <message>
        <source>d</source>
        <translation>天</translation>
    </message>
    <message>
        <source>snapshot</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>stored</source>
        <translation>已存储</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>已过时</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>Stored</source>
        <translation>已存储</translation>
    </message>
    <message>
        <source>Stale</source>
        <translation>已过时</translation>
    </message>
    <message>
        <source>received {age} ago</source>
        <translation>{age}前收到</translation>
    </message>
    <message>
        <source>fetched {age} ago</source>
        <translation>{age}前获取</translation>
    </message>
    <message>
        <source>recorded {age} ago</source>
        <translation>{age}前记录</translation>
    </message>
    <message>
        <source>stopped {age} ago</source>
        <translation>{age}前停止</translation>
    </message>
    <message>
        <source>last trade {time}</source>
        <translation>最后成交 {time}</translation>
    </message>
</context>
<context>
    <name>ListNameDialog</name>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Indices</source>
        <translation>指数</translation>
    </message>
    <message>
        <source>Watchlist</source>
        <translation>自选股</translation>
    </message>
    <message>
        <source>Depth</source>
        <translation>盘口</translation>
    </message>
    <message>
        <source>Time &amp; Sales</source>
        <translation>逐笔成交</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Delete the watchlist “{name}” and its {n} symbols?</source>
        <translation>删除自选列表“{name}”及其 {n} 只股票？</translation>
    </message>
    <message>
        <source>Delete watchlist</source>
        <translation>删除自选列表</translation>
    </message>
    <message>
        <source>New watchlist</source>
        <translation>新建自选股列表</translation>
    </message>
    <message>
        <source>Rename watchlist</source>
        <translation>重命名自选股列表</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Watchlist</source>
        <translation>自选股(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;New list…</source>
        <translation>新建列表(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Rename list…</source>
        <translation>重命名列表(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Delete list</source>
        <translation>删除列表(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Find / add symbol</source>
        <translation>查找/添加股票(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>Dark theme</source>
        <translation>深色主题</translation>
    </message>
    <message>
        <source>Light theme</source>
        <translation>浅色主题</translation>
    </message>
    <message>
        <source>Green up / red down (HK)</source>
        <translation>绿涨红跌（香港）</translation>
    </message>
    <message>
        <source>Red up / green down (Mainland)</source>
        <translation>红涨绿跌（内地）</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About hkdesk</source>
        <translation>关于 hkdesk(&amp;A)</translation>
    </message>
    <message>
        <source>Save &amp;diagnostics…</source>
        <translation>保存诊断信息(&amp;D)…</translation>
    </message>
    <message>
        <source>Save diagnostics</source>
        <translation>保存诊断信息</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>Could not save {path}: {error}</source>
        <translation>无法保存 {path}：{error}</translation>
    </message>
    <message>
        <source>Diagnostics saved to {path}</source>
        <translation>诊断信息已保存至 {path}</translation>
    </message>
    <message>
        <source>Looking up {code}…</source>
        <translation>正在查询 {code}…</translation>
    </message>
    <message>
        <source>{code} is not known to the feed</source>
        <translation>行情源不认识 {code}</translation>
    </message>
    <message>
        <source>Added {code} {name}</source>
        <translation>已加入 {code} {name}</translation>
    </message>
    <message>
        <source>Added {code}; its name is unknown here</source>
        <translation>已加入 {code}；此处不知其名称</translation>
    </message>
</context>
<context>
    <name>Plan</name>
    <message>
        <source>free</source>
        <translation>免费</translation>
    </message>
    <message>
        <source>basic</source>
        <translation>基础</translation>
    </message>
    <message>
        <source>premium</source>
        <translation>高级</translation>
    </message>
    <message>
        <source>professional</source>
        <translation>专业</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>hkdesk settings</source>
        <translation>hkdesk 设置</translation>
    </message>
    <message>
        <source>Built-in simulator</source>
        <translation>内置模拟器</translation>
    </message>
    <message>
        <source>Shared desk</source>
        <translation>共享交易台</translation>
    </message>
    <message>
        <source>{token} — type to replace</source>
        <translation>{token} — 输入即可替换</translation>
    </message>
    <message>
        <source>Stored in the OS keyring. Current source: {source}.</source>
        <translation>保存在系统密钥环中。当前来源：{source}。</translation>
    </message>
    <message>
        <source>No OS keyring is available here ({detail}). A token typed here is used for this session only; set the {env} environment variable to keep it. Current source: {source}.</source>
        <translation>此处没有可用的系统密钥环（{detail}）。在此输入的令牌仅用于本次运行；如需保留，请设置环境变量 {env}。当前来源：{source}。</translation>
    </message>
    <message>
        <source>default: the user in the URL, else this computer&apos;s name</source>
        <translation>默认：URL 中的用户，否则为本机名称</translation>
    </message>
    <message>
        <source>NATS credentials file, if the desk wants one</source>
        <translation>NATS 凭据文件（交易台需要时）</translation>
    </message>
    <message>
        <source>default: SQLite file in the user data folder</source>
        <translation>默认：用户数据目录中的 SQLite 文件</translation>
    </message>
    <message>
        <source>Green up / red down (Hong Kong)</source>
        <translation>绿涨红跌（香港）</translation>
    </message>
    <message>
        <source>Red up / green down (Mainland)</source>
        <translation>红涨绿跌（内地）</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Market data</source>
        <translation>行情数据</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>行情源</translation>
    </message>
    <message>
        <source>Host URL</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>套餐</translation>
    </message>
    <message>
        <source>Shared desk (no AllTick token needed)</source>
        <translation>共享交易台（无需 AllTick 令牌）</translation>
    </message>
    <message>
        <source>NATS URL</source>
        <translation>NATS 地址</translation>
    </message>
    <message>
        <source>Desk</source>
        <translation>交易台</translation>
    </message>
    <message>
        <source>Desktop id</source>
        <translation>桌面 ID</translation>
    </message>
    <message>
        <source>Credentials</source>
        <translation>凭据</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>存储</translation>
    </message>
    <message>
        <source>Database URL</source>
        <translation>数据库地址</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>配色</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>A new language applies when hkdesk is next started.</source>
        <translation>新语言将在下次启动 hkdesk 时生效。</translation>
    </message>
    <message>
        <source>{option} on the command line overrides this for the current run; what you enter here is saved for the next start.</source>
        <translation>命令行中的 {option} 在本次运行中覆盖此设置；此处输入的内容会保存，下次启动时使用。</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Pre-open</source>
        <translation>开盘前时段</translation>
    </message>
    <message>
        <source>Morning session</source>
        <translation>早盘</translation>
    </message>
    <message>
        <source>Lunch break</source>
        <translation>午间休市</translation>
    </message>
    <message>
        <source>Afternoon session</source>
        <translation>下午盘</translation>
    </message>
    <message>
        <source>Closing auction</source>
        <translation>收盘竞价</translation>
    </message>
    <message>
        <source>Market closed</source>
        <translation>已收盘</translation>
    </message>
    <message>
        <source>Backing off</source>
        <extracomment>Link texts with details after them start with one of these words.</extracomment>
        <translation>稍后重试</translation>
    </message>
    <message>
        <source>Failed:</source>
        <translation>失败：</translation>
    </message>
    <message>
        <source>SIM</source>
        <extracomment>The clock&apos;s word for the simulator&apos;s own time, and the gap marker&apos;s word (details follow both).</extracomment>
        <translation>模拟</translation>
    </message>
    <message>
        <source>gap?</source>
        <translation>可能缺失</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <source>Subscribing</source>
        <translation>订阅中</translation>
    </message>
    <message>
        <source>Idle (no symbols)</source>
        <translation>空闲（无股票）</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Built-in simulator</source>
        <extracomment>The token the app and the recorder present to their own built-in simulator.</extracomment>
        <translation>内置模拟器</translation>
    </message>
    <message>
        <source>AllTick ({plan})</source>
        <translation>AllTick（{plan}）</translation>
    </message>
    <message>
        <source>Shared desk ({desk})</source>
        <translation>共享交易台（{desk}）</translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <source>RTT –</source>
        <translation>延迟 –</translation>
    </message>
    <message>
        <source>RTT {ms} ms</source>
        <translation>延迟 {ms} 毫秒</translation>
    </message>
    <message>
        <source>{rate} ticks/s</source>
        <translation>每秒 {rate} 笔</translation>
    </message>
    <message>
        <source>DB queue {queue} · stored {stored}</source>
        <translation>数据库队列 {queue} · 已存储 {stored}</translation>
    </message>
    <message>
        <source>DB ERROR · queue {queue}</source>
        <translation>数据库错误 · 队列 {queue}</translation>
    </message>
</context>
<context>
    <name>SymbolSearchBox</name>
    <message>
        <source>Add / jump: code or name (type anywhere)</source>
        <translation>添加/跳转：代码或名称（可随处输入）</translation>
    </message>
</context>
<context>
    <name>TapeModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>B</source>
        <translation>买</translation>
    </message>
    <message>
        <source>S</source>
        <translation>卖</translation>
    </message>
</context>
<context>
    <name>Token</name>
    <message>
        <source>command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <source>this session</source>
        <translation>本次运行</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>keyring</source>
        <translation>密钥环</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>no OS keyring backend on this system</source>
        <translation>此系统没有可用的密钥环后端</translation>
    </message>
    <message>
        <source>keyring disabled</source>
        <translation>密钥环已停用</translation>
    </message>
    <message>
        <source>keyring unavailable:</source>
        <extracomment>Followed by the name of the exception that stopped ``keyring`` from loading.</extracomment>
        <translation>密钥环不可用：</translation>
    </message>
    <message>
        <source>●●●●●●●● (set)</source>
        <translation>●●●●●●●●（已设置）</translation>
    </message>
    <message>
        <source>(not set)</source>
        <translation>（未设置）</translation>
    </message>
</context>
<context>
    <name>WatchlistModel</name>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <source>名稱</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Last</source>
        <translation>最新价</translation>
    </message>
    <message>
        <source>Chg</source>
        <translation>涨跌</translation>
    </message>
    <message>
        <source>Chg%</source>
        <translation>涨跌幅</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>成交量</translation>
    </message>
    <message>
        <source>Turnover</source>
        <translation>成交额</translation>
    </message>
    <message>
        <source>Bid</source>
        <translation>买价</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>卖价</translation>
    </message>
    <message>
        <source>High</source>
        <translation>最高</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>最低</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Bid vol</source>
        <translation>买盘量</translation>
    </message>
    <message>
        <source>Ask vol</source>
        <translation>卖盘量</translation>
    </message>
</context>
<context>
    <name>WatchlistPanel</name>
    <message>
        <source>Named watchlists</source>
        <translation>自选股列表</translation>
    </message>
    <message>
        <source>New watchlist</source>
        <translation>新建自选股列表</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
</context>
<context>
    <name>WatchlistService</name>
    <message>
        <source>Command line</source>
        <extracomment>The list made from ``--symbols``: shown for this run, never saved.</extracomment>
        <translation>命令行</translation>
    </message>
    <message>
        <source>HSI Core</source>
        <translation>恒指核心</translation>
    </message>
    <message>
        <source>Tech</source>
        <translation>科技股</translation>
    </message>
    <message>
        <source>A watchlist needs a name.</source>
        <translation>自选股列表需要名称。</translation>
    </message>
    <message>
        <source>A watchlist name has at most {n} characters.</source>
        <translation>自选股列表名称最多 {n} 个字符。</translation>
    </message>
    <message>
        <source>There is already a watchlist named “{name}”.</source>
        <translation>已有名为“{name}”的自选股列表。</translation>
    </message>
    <message>
        <source>The last watchlist cannot be deleted.</source>
        <translation>不能删除最后一个自选股列表。</translation>
    </message>
</context>
</TS>
