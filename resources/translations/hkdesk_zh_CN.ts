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
    <name>AlertDialog</name>
    <message>
        <source>Edit alert</source>
        <extracomment>The valid :class:`Alert` (id and state of the edited one kept).</extracomment>
        <translation>修改提醒</translation>
    </message>
    <message>
        <source>New alert</source>
        <translation>新建提醒</translation>
    </message>
    <message>
        <source>Code or name</source>
        <translation>代码或名称</translation>
    </message>
    <message>
        <source>Re-arm after</source>
        <translation>重新生效于</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Symbol</source>
        <translation>股票</translation>
    </message>
    <message>
        <source>When</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>Within (minutes)</source>
        <translation>时间范围（分钟）</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Times the average</source>
        <translation>平均量的倍数</translation>
    </message>
    <message>
        <source>Percent</source>
        <translation>百分比</translation>
    </message>
    <message>
        <source>Give a Hong Kong code or a name the app knows.</source>
        <translation>请输入港股代码或本程序能识别的名称。</translation>
    </message>
    <message>
        <source>The value must be a number, e.g. 412.4 or -2.5.</source>
        <translation>数值必须是数字，例如 412.4 或 -2.5。</translation>
    </message>
    <message>
        <source>This alert cannot be used: {reason}</source>
        <translation>此提醒无法使用：{reason}</translation>
    </message>
</context>
<context>
    <name>Alerts</name>
    <message>
        <source>{n} more alerts fired</source>
        <extracomment>Firings shown one by one in a batch; beyond that one notification says how many more. Every notice given, newest last (what the user was told; the diagnostics read it).</extracomment>
        <translation>另有 {n} 个提醒触发</translation>
    </message>
    <message>
        <source>Price at or above</source>
        <translation>价格涨至或高于</translation>
    </message>
    <message>
        <source>Price at or below</source>
        <translation>价格跌至或低于</translation>
    </message>
    <message>
        <source>Change % from previous close at or above</source>
        <translation>较昨收涨跌幅达到或高于</translation>
    </message>
    <message>
        <source>Change % from previous close at or below</source>
        <translation>较昨收涨跌幅达到或低于</translation>
    </message>
    <message>
        <source>Move of % within minutes</source>
        <translation>若干分钟内波动百分比</translation>
    </message>
    <message>
        <source>Volume surge within minutes</source>
        <translation>若干分钟内放量</translation>
    </message>
    <message>
        <source>price ≥ {value}</source>
        <translation>价格 ≥ {value}</translation>
    </message>
    <message>
        <source>price ≤ {value}</source>
        <translation>价格 ≤ {value}</translation>
    </message>
    <message>
        <source>change ≥ {value}% from the previous close</source>
        <translation>较昨收涨跌幅 ≥ {value}%</translation>
    </message>
    <message>
        <source>change ≤ {value}% from the previous close</source>
        <translation>较昨收涨跌幅 ≤ {value}%</translation>
    </message>
    <message>
        <source>moves {value}% within {minutes} min</source>
        <translation>{minutes} 分钟内波动 {value}%</translation>
    </message>
    <message>
        <source>volume of {minutes} min ≥ {value}× its recent average</source>
        <translation>{minutes} 分钟成交量 ≥ 近期平均的 {value} 倍</translation>
    </message>
    <message>
        <source>once</source>
        <translation>一次</translation>
    </message>
    <message>
        <source>re-arms after {n} min</source>
        <translation>{n} 分钟后重新生效</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>fired</source>
        <translation>已触发</translation>
    </message>
    <message>
        <source>re-arms at {time}</source>
        <translation>{time} 重新生效</translation>
    </message>
    <message>
        <source>armed</source>
        <translation>生效中</translation>
    </message>
    <message>
        <source>{rule}: traded at {price} at {time}</source>
        <translation>{rule}：{time} 成交价 {price}</translation>
    </message>
</context>
<context>
    <name>AlertsPanel</name>
    <message>
        <source>Symbol</source>
        <extracomment>Shortest time between two redraws of the dock&apos;s tables.</extracomment>
        <translation>股票</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last fired</source>
        <translation>最近触发</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>More</source>
        <translation>更多</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Clear marks</source>
        <translation>清除标记</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>声音</translation>
    </message>
    <message>
        <source>Import alerts</source>
        <extracomment>What waits to be shown again while the dock is hidden or a refresh was just made.</extracomment>
        <translation>导入提醒</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>{file}: nothing imported, {n} bad line(s); line {line}: {reason}</source>
        <translation>{file}：未导入，{n} 行有误；第 {line} 行：{reason}</translation>
    </message>
    <message>
        <source>{added} alert(s) imported, {skipped} already defined</source>
        <translation>已导入 {added} 个提醒，{skipped} 个已存在</translation>
    </message>
    <message>
        <source>Export alerts</source>
        <translation>导出提醒</translation>
    </message>
    <message>
        <source>{n} alert(s) written to {path}</source>
        <translation>已将 {n} 个提醒写入 {path}</translation>
    </message>
</context>
<context>
    <name>ChartHoles</name>
    <message>
        <source>fetching from the provider…</source>
        <translation>正向行情商获取…</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>没有数据</translation>
    </message>
    <message>
        <source>gap: trades may be missing</source>
        <translation>断档：可能缺少成交</translation>
    </message>
</context>
<context>
    <name>ChartMenu</name>
    <message>
        <source>Add alert at {price}…</source>
        <translation>在 {price} 新建提醒…</translation>
    </message>
    <message>
        <source>Add alert…</source>
        <translation>新建提醒…</translation>
    </message>
    <message>
        <source>Alert line at {price}</source>
        <translation>在 {price} 添加提醒线</translation>
    </message>
    <message>
        <source>Interval</source>
        <translation>周期</translation>
    </message>
    <message>
        <source>Indicators</source>
        <translation>技术指标</translation>
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
        <extracomment>The least a chart&apos;s title (code and names) is given before it is cut. Daily candles of the days before today (start, O, H, L, C, V), for the 1d view. The x where the day&apos;s view begins when it is before the first point (a hole at the open).</extracomment>
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
    <name>ChartWindow</name>
    <message>
        <source>Show: code or name</source>
        <extracomment>The depth ladder&apos;s and time &amp; sales&apos; width in a new chart window (the main window&apos;s docks). A symbol chosen here (typed in the search box): (window, symbol). The window&apos;s link group changed: (window, group).</extracomment>
        <translation>显示：代码或名称</translation>
    </message>
</context>
<context>
    <name>ColumnChooser</name>
    <message>
        <source>Reset columns</source>
        <translation>重置列</translation>
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
    <name>ExportDialog</name>
    <message>
        <source>Export</source>
        <extracomment>The :class:`ExportRequest` chosen (OK pressed with valid fields).</extracomment>
        <translation>导出</translation>
    </message>
    <message>
        <source>Watchlist</source>
        <translation>自选股</translation>
    </message>
    <message>
        <source>Ticks of a day</source>
        <translation>某日逐笔成交</translation>
    </message>
    <message>
        <source>Bars</source>
        <translation>蜡烛图</translation>
    </message>
    <message>
        <source>CSV (.csv)</source>
        <translation>CSV (.csv)</translation>
    </message>
    <message>
        <source>Excel (.xlsx)</source>
        <translation>Excel (.xlsx)</translation>
    </message>
    <message>
        <source>Symbol</source>
        <translation>股票</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Interval</source>
        <translation>周期</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Give a Hong Kong code or a name the app knows.</source>
        <translation>请输入港股代码或本程序能识别的名称。</translation>
    </message>
    <message>
        <source>The last date is before the first.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
</context>
<context>
    <name>FactsText</name>
    <message>
        <source>No reference data: this source has no provider to ask (a shared desk&apos;s desktop)</source>
        <translation>没有参考资料：此数据源没有可查询的行情商（共享交易台的桌面）</translation>
    </message>
    <message>
        <source>The provider has no reference data for this code</source>
        <translation>行情商没有此代码的参考资料</translation>
    </message>
    <message>
        <source>The provider&apos;s reference data could not be fetched (the log says why)</source>
        <translation>未能获取行情商的参考资料（原因见日志）</translation>
    </message>
    <message>
        <source>An index has no market cap, P/E or dividend yield</source>
        <translation>指数没有市值、市盈率或股息率</translation>
    </message>
    <message>
        <source>From the provider&apos;s reference data, fetched {time}</source>
        <translation>来自行情商的参考资料，于 {time} 获取</translation>
    </message>
    <message>
        <source>The provider&apos;s reference data is being read</source>
        <translation>正在读取行情商的参考资料</translation>
    </message>
</context>
<context>
    <name>FeedReason</name>
    <message>
        <source>connection refused</source>
        <extracomment>Reasons with nothing variable in them, and the words a &quot;cannot connect&quot; names.</extracomment>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <source>host not found</source>
        <translation>找不到主机</translation>
    </message>
    <message>
        <source>network unreachable</source>
        <translation>网络不可达</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>connection reset</source>
        <translation>连接被重置</translation>
    </message>
    <message>
        <source>connection lost (no close frame)</source>
        <translation>连接中断（未收到关闭消息）</translation>
    </message>
    <message>
        <source>socket closed</source>
        <translation>连接已关闭</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未启动</translation>
    </message>
    <message>
        <source>no symbols left on this connection</source>
        <translation>此连接已无股票</translation>
    </message>
    <message>
        <source>reading today&apos;s trades from the desk</source>
        <translation>正在从交易台读取今日成交</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <source>subscribing</source>
        <translation>订阅中</translation>
    </message>
    <message>
        <source>backing off</source>
        <translation>稍后重试</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>cannot connect: {why}</source>
        <translation>无法连接：{why}</translation>
    </message>
    <message>
        <source>no answer within {s} s</source>
        <translation>{s} 秒内无响应</translation>
    </message>
    <message>
        <source>no data for {s} s</source>
        <translation>{s} 秒无数据</translation>
    </message>
    <message>
        <source>token invalid (HTTP {status})</source>
        <translation>令牌无效（HTTP {status}）</translation>
    </message>
    <message>
        <source>server refused the connection (HTTP {status})</source>
        <translation>服务器拒绝连接（HTTP {status}）</translation>
    </message>
    <message>
        <source>server closed the connection ({detail})</source>
        <translation>服务器关闭连接（{detail}）</translation>
    </message>
    <message>
        <source>too many requests ({detail})</source>
        <translation>请求过于频繁（{detail}）</translation>
    </message>
    <message>
        <source>internal error: {what}</source>
        <translation>内部错误：{what}</translation>
    </message>
    <message>
        <source>NATS at {url} unreachable</source>
        <translation>无法连接 NATS {url}</translation>
    </message>
    <message>
        <source>NATS at {url}: {detail}</source>
        <translation>NATS {url}：{detail}</translation>
    </message>
    <message>
        <source>no desk server leads desk {desk}</source>
        <translation>交易台 {desk} 没有服务器主导</translation>
    </message>
    <message>
        <source>desk {desk}&apos;s upstream {state}: {why}</source>
        <translation>交易台 {desk} 的上游{state}：{why}</translation>
    </message>
    <message>
        <source>desk {desk}&apos;s upstream {state}</source>
        <translation>交易台 {desk} 的上游{state}</translation>
    </message>
</context>
<context>
    <name>Freshness</name>
    <message>
        <source>beyond the plan&apos;s streaming capacity</source>
        <extracomment>Why a symbol is a snapshot, not streaming.</extracomment>
        <translation>超出套餐的推送上限</translation>
    </message>
    <message>
        <source>refused by the server</source>
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
    <message>
        <source>Today&apos;s figures count the trades from {time} only: the day before is not known here</source>
        <translation>今日数字只计 {time} 起的成交：之前的成交此处未知</translation>
    </message>
</context>
<context>
    <name>Indicators</name>
    <message>
        <source>Moving averages (20, 50)</source>
        <extracomment>Indicator names (setting values) and their menu labels.</extracomment>
        <translation>移动平均线（20、50）</translation>
    </message>
    <message>
        <source>Bollinger bands (20, 2σ)</source>
        <translation>布林带（20、2σ）</translation>
    </message>
    <message>
        <source>MACD (12, 26, 9)</source>
        <translation>MACD（12、26、9）</translation>
    </message>
    <message>
        <source>RSI (14)</source>
        <translation>RSI（14）</translation>
    </message>
</context>
<context>
    <name>LinkGroups</name>
    <message>
        <source>Red group</source>
        <translation>红色组</translation>
    </message>
    <message>
        <source>Green group</source>
        <translation>绿色组</translation>
    </message>
    <message>
        <source>Blue group</source>
        <translation>蓝色组</translation>
    </message>
    <message>
        <source>Yellow group</source>
        <translation>黄色组</translation>
    </message>
    <message>
        <source>Purple group</source>
        <translation>紫色组</translation>
    </message>
    <message>
        <source>Not linked</source>
        <extracomment>The main window&apos;s group when the app starts. (group, symbol): the group&apos;s symbol changed; ``origin`` members already show it.</extracomment>
        <translation>不联动</translation>
    </message>
    <message>
        <source>Link: {group}</source>
        <translation>联动：{group}</translation>
    </message>
</context>
<context>
    <name>ListActions</name>
    <message>
        <source>New watchlist</source>
        <translation>新建自选股列表</translation>
    </message>
    <message>
        <source>Rename watchlist</source>
        <translation>重命名自选股列表</translation>
    </message>
    <message>
        <source>Delete the watchlist “{name}” and its {n} symbols?</source>
        <translation>删除自选列表“{name}”及其 {n} 只股票？</translation>
    </message>
    <message>
        <source>Delete watchlist</source>
        <translation>删除自选列表</translation>
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
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Watchlist…</source>
        <translation>自选股(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;Ticks of a day…</source>
        <translation>某日逐笔成交(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Bars…</source>
        <translation>蜡烛图(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Larger text</source>
        <translation>放大文字(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Smaller text</source>
        <translation>缩小文字(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Normal text size</source>
        <translation>正常文字大小(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
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
    <name>RowMenu</name>
    <message>
        <source>Add alert…</source>
        <translation>新建提醒…</translation>
    </message>
    <message>
        <source>Open chart in new window</source>
        <translation>在新窗口打开图表</translation>
    </message>
    <message>
        <source>Copy quote</source>
        <translation>复制行情</translation>
    </message>
    <message>
        <source>Move to list</source>
        <translation>移至列表</translation>
    </message>
    <message>
        <source>Clear alert mark</source>
        <translation>清除提醒标记</translation>
    </message>
    <message>
        <source>Remove from list</source>
        <translation>从列表删除</translation>
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
        <source>the desk&apos;s database, read-only (optional)</source>
        <translation>交易台的数据库，只读（可选）</translation>
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
        <source>Desk database</source>
        <translation>交易台数据库</translation>
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
    <name>Shortcuts</name>
    <message>
        <source>Go to the watchlist</source>
        <translation>转到自选股</translation>
    </message>
    <message>
        <source>Go to the chart</source>
        <translation>转到图表</translation>
    </message>
    <message>
        <source>Go to the depth ladder</source>
        <translation>转到盘口</translation>
    </message>
    <message>
        <source>Go to time &amp; sales</source>
        <translation>转到逐笔成交</translation>
    </message>
    <message>
        <source>Go to the alerts</source>
        <translation>转到提醒</translation>
    </message>
    <message>
        <source>Go to the log</source>
        <translation>转到日志</translation>
    </message>
    <message>
        <source>Up / Down</source>
        <extracomment>Every key of the window, in the order the help lists them: (keys, what they do).</extracomment>
        <translation>↑ / ↓</translation>
    </message>
    <message>
        <source>Previous / next symbol in the watchlist</source>
        <translation>自选股的上一只／下一只</translation>
    </message>
    <message>
        <source>PgUp / PgDown</source>
        <translation>上一页 / 下一页</translation>
    </message>
    <message>
        <source>A page up / down the watchlist</source>
        <translation>自选股向上／向下翻页</translation>
    </message>
    <message>
        <source>Home / End</source>
        <translation>首 / 尾</translation>
    </message>
    <message>
        <source>First / last symbol of the watchlist</source>
        <translation>自选股的第一只／最后一只</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>回车键</translation>
    </message>
    <message>
        <source>Open the symbol&apos;s chart in a new window</source>
        <translation>在新窗口打开该股票的图表</translation>
    </message>
    <message>
        <source>Del</source>
        <translation>删除键</translation>
    </message>
    <message>
        <source>Remove the symbol from the list</source>
        <translation>从列表删除该股票</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>退出键</translation>
    </message>
    <message>
        <source>Clear the search and the filter</source>
        <translation>清除搜索和筛选</translation>
    </message>
    <message>
        <source>0-9 A-Z</source>
        <translation>0-9 字母</translation>
    </message>
    <message>
        <source>Type a code or name anywhere to find or add it</source>
        <translation>随处输入代码或名称以查找或添加</translation>
    </message>
    <message>
        <source>Find / add a symbol</source>
        <translation>查找／添加股票</translation>
    </message>
    <message>
        <source>New alert for the selected symbol</source>
        <translation>为所选股票新建提醒</translation>
    </message>
    <message>
        <source>Export the watchlist</source>
        <translation>导出自选股</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>放大文字</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>缩小文字</translation>
    </message>
    <message>
        <source>Text at its normal size</source>
        <translation>正常文字大小</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <extracomment>Row heights in pixels at zoom 1 (the stylesheet&apos;s 12 px text).</extracomment>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>功能</translation>
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
        <source>{source}, simulated</source>
        <extracomment>Why the database is not storing (the error, in words), for the status bar&apos;s tooltip. A source reached by URL that said it is the built-in simulator (a shared desk&apos;s upstream).</extracomment>
        <translation>{source}，模拟行情</translation>
    </message>
    <message>
        <source>Built-in simulator</source>
        <extracomment>The token the app and the recorder present to their own built-in simulator. The stamp and database name of a simulator reached through an AllTick URL: simulated data, kept apart from the built-in simulator&apos;s day as well as from real data.</extracomment>
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
        <extracomment>What follows &quot;Backing off&quot;: the seconds left and the reason in brackets, each when known.</extracomment>
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
        <extracomment>Escape pressed (with no completion list open): the text was cleared.</extracomment>
        <translation>添加/跳转：代码或名称（可随处输入）</translation>
    </message>
</context>
<context>
    <name>TapeMenu</name>
    <message>
        <source>Side</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Copy trade</source>
        <translation>复制此笔成交</translation>
    </message>
    <message>
        <source>Copy all trades</source>
        <translation>复制全部成交</translation>
    </message>
    <message>
        <source>Export the day&apos;s ticks…</source>
        <translation>导出当日逐笔成交…</translation>
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
    <message>
        <source>Open</source>
        <translation>开盘</translation>
    </message>
    <message>
        <source>Prev close</source>
        <translation>昨收</translation>
    </message>
    <message>
        <source>VWAP</source>
        <translation>均价</translation>
    </message>
    <message>
        <source>Ampl%</source>
        <translation>振幅%</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>每手</translation>
    </message>
    <message>
        <source>52w high</source>
        <translation>52周高</translation>
    </message>
    <message>
        <source>52w low</source>
        <translation>52周低</translation>
    </message>
    <message>
        <source>Mkt cap</source>
        <translation>市值</translation>
    </message>
    <message>
        <source>P/E</source>
        <translation>市盈率</translation>
    </message>
    <message>
        <source>Div yld%</source>
        <translation>股息率%</translation>
    </message>
    <message>
        <source>Volume-weighted average price of the day: turnover ÷ volume</source>
        <extracomment>Columns hidden until the user shows them (header menu); only shown ones are formatted. Columns made from the provider&apos;s reference data (``/static_info``), read only while one is shown. What a column holds, where its header alone cannot say (shown as the header&apos;s tooltip).</extracomment>
        <translation>当日成交量加权平均价：成交额 ÷ 成交量</translation>
    </message>
    <message>
        <source>The day&apos;s range, high − low, in % of the previous close</source>
        <translation>当日振幅（最高 − 最低）占昨收的百分比</translation>
    </message>
    <message>
        <source>Board lot: shares per trading unit</source>
        <translation>每手股数</translation>
    </message>
    <message>
        <source>Highest trade of the last 52 weeks held in the database, today&apos;s included</source>
        <translation>数据库中过去 52 周（含今日）的最高成交价</translation>
    </message>
    <message>
        <source>Lowest trade of the last 52 weeks held in the database, today&apos;s included</source>
        <translation>数据库中过去 52 周（含今日）的最低成交价</translation>
    </message>
    <message>
        <source>Market capitalisation: last price × total shares (the provider&apos;s reference data)</source>
        <translation>市值：最新价 × 总股数（行情商的参考资料）</translation>
    </message>
    <message>
        <source>Price/earnings: last price ÷ trailing 12-month earnings per share (the provider&apos;s reference data); empty without positive earnings</source>
        <translation>市盈率：最新价 ÷ 过去 12 个月每股收益（行情商的参考资料）；没有正收益则留空</translation>
    </message>
    <message>
        <source>Dividend yield in %, from the provider&apos;s reference data</source>
        <translation>股息率（%），来自行情商的参考资料</translation>
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
<context>
    <name>WindowTools</name>
    <message>
        <source>Alerts</source>
        <extracomment>The Alerts dock&apos;s share of the window&apos;s height when it is shown at the bottom.</extracomment>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Moved to {name}</source>
        <translation>已移至 {name}</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Excel files (*.xlsx)</source>
        <translation>Excel 文件 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>导出至</translation>
    </message>
    <message>
        <source>Nothing exported: no database is in use</source>
        <translation>未导出：未使用数据库</translation>
    </message>
    <message>
        <source>{n} rows written to {path}</source>
        <translation>已将 {n} 行写入 {path}</translation>
    </message>
</context>
</TS>
